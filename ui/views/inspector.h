#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QTableWidget;

namespace bulkhead::ui {

class Document;

// The selected workload: labels, addresses, ports, zone; edges in and out; its blast radius
// beside the no-policy baseline; its policy YAML as Export Policies writes it.
class Inspector : public QWidget
{
    Q_OBJECT

public:
    explicit Inspector(Document *document, QWidget *parent = nullptr);

    QString titleText() const;
    QString labelsText() const;
    QString addressesText() const;
    QString portsText() const;
    QString zoneText() const;
    QString radiusText() const;
    QString policyYaml() const;
    QTableWidget *edgesTable() const { return m_edges; }
    QComboBox *zoneCombo() const { return m_moveZone; }

private:
    void refresh();

    Document *m_document;
    QLabel *m_title;
    QLabel *m_kind;
    QLabel *m_zone;
    QComboBox *m_moveZone = nullptr;
    QLabel *m_labels;
    QLabel *m_addresses;
    QLabel *m_ports;
    QLabel *m_radius;
    QTableWidget *m_edges;
    QObject *m_edgeDelegate = nullptr; // shows the edge table's cells in a narrow dock
    QPlainTextEdit *m_yaml;
};

} // namespace bulkhead::ui
