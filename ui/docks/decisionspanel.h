#pragma once

#include "commands/removedecisioncommand.h"

#include <QWidget>

#include <vector>

class QLabel;
class QPushButton;
class QTableWidget;

namespace bulkhead::ui {

class Document;

// Every decision of the design in one list: edges allowed by hand, denials, zone moves. Each can
// be taken back (Remove: an added edge goes, a denial is lifted, a moved workload returns to its
// labels' zone), as one undoable step; the list follows the document (undo, redo, open).
class DecisionsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit DecisionsPanel(Document *document, QWidget *parent = nullptr);

    // The entries as listed (added, then denied, then zone moves; each sorted).
    const std::vector<DecisionEntry> &entries() const { return m_entries; }
    QTableWidget *table() const { return m_table; }
    // Takes back the decision of that row; false when there is none.
    bool removeRow(int row);

private:
    void refresh();

    Document *m_document;
    QLabel *m_summary;
    QTableWidget *m_table;
    QPushButton *m_remove;
    std::vector<DecisionEntry> m_entries;
};

// "2 added · 1 denied · 1 zone move": the status bar's count of the decisions.
QString decisionCountsText(const Decisions &decisions);

} // namespace bulkhead::ui
