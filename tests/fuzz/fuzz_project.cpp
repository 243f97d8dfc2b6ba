// libFuzzer target: the project file loader, and writing back what it loaded.
#include "project/project.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto project
        = bulkhead::loadProjectText(std::string_view(reinterpret_cast<const char *>(data), size),
                                    "/fuzz/project.bulkhead", "/fuzz");
    if (!project) {
        (void)project.error().toString();
        return 0;
    }
    // A project that loads can be saved: the writer sees whatever the loader accepted.
    (void)bulkhead::projectToYaml(*project, "/fuzz");
    return 0;
}
