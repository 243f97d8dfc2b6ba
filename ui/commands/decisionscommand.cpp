#include "commands/decisionscommand.h"

#include "document.h"

namespace bulkhead::ui {

DecisionsCommand::DecisionsCommand(Document *document, Decisions after, const QString &text)
    : QUndoCommand(text)
    , m_document(document)
    , m_other(std::move(after))
{
}

void DecisionsCommand::swap()
{
    Decisions current = m_document->decisions();
    m_document->setDecisions(m_other);
    m_other = std::move(current);
}

} // namespace bulkhead::ui
