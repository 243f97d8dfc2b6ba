#pragma once

#include "policy/policykind.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace bulkhead::cli {

// Policies of kinds Bulkhead does not evaluate, given to `check` or `blast-radius`
// (docs/unsupported-kinds.md): listed in the table and the JSON, and exit status 2 unless the user
// accepts verdicts that leave them out (--ignore-unsupported).
void addIgnoreUnsupportedOption(CLI::App *command, bool &ignore, const std::string &examples);
// [{"policy": "ns/name", "kind": ..., "apiVersion": ..., "file": ..., "line": ...}], in file order.
nlohmann::json notEvaluatedJson(const std::vector<NotEvaluatedPolicy> &policies);
// "Not evaluated: ..." section of a table report (empty when there are none).
std::string notEvaluatedTable(const std::vector<NotEvaluatedPolicy> &policies, bool ignored);
// After the report is printed: 0 when none or ignored, else a message on stderr and ExitBadInput.
int notEvaluatedExit(const std::vector<NotEvaluatedPolicy> &policies, bool ignored);

} // namespace bulkhead::cli
