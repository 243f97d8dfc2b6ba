#pragma once

#include "design/intent.h"

#include <QUndoCommand>

namespace bulkhead::ui {

class Document;

// The base of every design edit: it holds the other Decisions (after the edit until redone,
// before it once redone), and undo() and redo() are the same swap (Tiled's
// changeselectedarea.cpp). Subclasses only compute the decisions after their edit.
class DecisionsCommand : public QUndoCommand
{
public:
    void undo() override { swap(); }
    void redo() override { swap(); }

protected:
    DecisionsCommand(Document *document, Decisions after, const QString &text);

private:
    void swap();

    Document *m_document;
    Decisions m_other;
};

} // namespace bulkhead::ui
