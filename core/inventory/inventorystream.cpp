#include "inventory/inventorystream.h"

#include "inventory/streamcommon.h"

namespace bulkhead {

using inventorystream::isJsonSpace;
using inventorystream::skipSpace;

Expected<void> streamInventory(InventoryText &text, const std::string &fileName,
                               InventorySink &sink, ProgressSink *progress)
{
    std::string_view t = text.text();
    size_t i = t.size() >= 3 && t.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    while (i < t.size() && isJsonSpace(t[i]))
        ++i;
    if (i < t.size() && t[i] == '{') {
        // JSON, or YAML's flow style that is not JSON ({kind: List}): the JSON reader fails on
        // the first key of the latter, before anything reached the sink.
        const char *keyStart = t.data() + i + 1;
        keyStart = skipSpace(keyStart, t.data() + t.size());
        if (keyStart == t.data() + t.size() || *keyStart == '"' || *keyStart == '}')
            return streamJsonInventory(text, fileName, sink, progress);
    }
    if (i < t.size() && t[i] == '[')
        return streamYamlInventory(text, fileName, sink, progress); // rare; YAML reads it too
    return streamYamlInventory(text, fileName, sink, progress);
}

} // namespace bulkhead