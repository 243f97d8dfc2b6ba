#pragma once

#include <QString>

namespace bulkhead::ui {

class Document;

// The warning Export Policies shows before writing a design that breaks observed traffic: each
// observed edge the design drops (denied by hand, or blocked by a zone rule, naming the rule),
// the first ten listed. Empty when the design keeps every observed edge.
QString exportBreaksWarning(const Document &document);

} // namespace bulkhead::ui
