#pragma once

#include <QDialog>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTimer;

namespace bulkhead {
class LiveCapture;
}

namespace bulkhead::ui {

class Document;

// File > Live Capture: an interface (pcap_findalldevs), a BPF filter checked as it is typed
// (pcap_compile on a dead handle), Start/Stop. Packets go to a pcap file in the application's
// data folder, which joins the project's captures; every two seconds the document reads it again,
// so the graph grows as flows arrive. Without CAP_NET_RAW a dialog says so and how to grant it.
class LiveCaptureDialog : public QDialog
{
    Q_OBJECT

public:
    explicit LiveCaptureDialog(Document *document, QWidget *parent = nullptr);
    ~LiveCaptureDialog() override;

    QComboBox *interfaces() const { return m_interfaces; }
    QLineEdit *filter() const { return m_filter; }
    bool filterIsValid() const { return m_filterValid; }
    QString filterProblem() const;
    bool start();
    void stop();

private:
    void validateFilter();
    void refresh();

    Document *m_document;
    QComboBox *m_interfaces;
    QLineEdit *m_filter;
    QLabel *m_filterProblem;
    QLabel *m_status;
    QPushButton *m_start;
    QPushButton *m_stop;
    QTimer *m_timer;
    std::unique_ptr<LiveCapture> m_capture;
    QString m_file;
    bool m_filterValid = true;
};

} // namespace bulkhead::ui
