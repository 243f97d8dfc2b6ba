// libFuzzer target: the zones file loader.
#include "zones/zones.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto zones = bulkhead::loadZonesText(
        std::string_view(reinterpret_cast<const char *>(data), size), "fuzz.yaml");
    if (!zones)
        (void)zones.error().toString();
    return 0;
}
