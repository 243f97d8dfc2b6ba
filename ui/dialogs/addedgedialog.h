#pragma once

#include "design/intent.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QSpinBox;

namespace bulkhead::ui {

class Document;

// Edit > Add Edge: from, to (workloads, networks and addresses of the model), protocol, port.
// The OK button is enabled only while Document::checkNewEdge accepts the edge; the reason is
// shown otherwise.
class AddEdgeDialog : public QDialog
{
    Q_OBJECT

public:
    explicit AddEdgeDialog(Document *document, QWidget *parent = nullptr);

    EdgeRef edge() const;
    void setEdge(const EdgeRef &edge);
    QString problem() const; // empty when the edge is valid
    bool isAcceptable() const;

private:
    void validate();

    Document *m_document;
    QComboBox *m_from;
    QComboBox *m_to;
    QComboBox *m_protocol;
    QSpinBox *m_port;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace bulkhead::ui
