// libFuzzer target: the inventory loader (Kubernetes objects and native inventories).
#include "inventory/inventoryloader.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto inventory = bulkhead::loadInventoryText(
        std::string_view(reinterpret_cast<const char *>(data), size), "fuzz.yaml");
    if (!inventory)
        (void)inventory.error().toString(); // every error renders
    return 0;
}
