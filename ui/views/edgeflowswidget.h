#pragma once

#include <QWidget>

class QLabel;
class QTableWidget;

namespace bulkhead::ui {

class Document;

// The flows of the selected arrow: one row per observed conversation (client and server
// addresses and ports, packets, bytes, first and last seen, the capture files), at most
// kMaxRows; a hand-added arrow without traffic says so.
class EdgeFlowsWidget : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kMaxRows = 500;
    explicit EdgeFlowsWidget(Document *document, QWidget *parent = nullptr);
    void showEdge(int edge); // GraphData::edges index, -1: none
    QTableWidget *table() const { return m_table; }
    QString summary() const;

private:
    Document *m_document;
    QLabel *m_summary;
    QTableWidget *m_table;
};

} // namespace bulkhead::ui
