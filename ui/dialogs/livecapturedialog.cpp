#include "dialogs/livecapturedialog.h"

#include "capture/livecapture.h"
#include "document.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QTimer>
#include <QVBoxLayout>

namespace bulkhead::ui {

LiveCaptureDialog::LiveCaptureDialog(Document *document, QWidget *parent)
    : QDialog(parent)
    , m_document(document)
    , m_interfaces(new QComboBox)
    , m_filter(new QLineEdit)
    , m_filterProblem(new QLabel)
    , m_status(new QLabel)
    , m_start(new QPushButton(tr("Start")))
    , m_stop(new QPushButton(tr("Stop")))
    , m_timer(new QTimer(this))
{
    setWindowTitle(tr("Live Capture"));
    auto interfaces = listCaptureInterfaces();
    if (interfaces) {
        for (const CaptureInterface &iface : *interfaces)
            m_interfaces->addItem(
                QString::fromStdString(iface.name)
                    + (iface.description.empty()
                           ? QString()
                           : QStringLiteral(" — ") + QString::fromStdString(iface.description)),
                QString::fromStdString(iface.name));
    }
    if (m_interfaces->count() == 0)
        m_status->setText(interfaces ? tr("libpcap lists no interface.")
                                     : QString::fromStdString(interfaces.error().message));
    m_filter->setPlaceholderText(tr("BPF filter, e.g. tcp or udp port 53 (empty: everything)"));
    m_filter->setObjectName(QStringLiteral("filter"));
    m_filterProblem->setWordWrap(true);
    m_filterProblem->setStyleSheet(QStringLiteral("color: #b02020"));
    connect(m_filter, &QLineEdit::textChanged, this, &LiveCaptureDialog::validateFilter);
    m_stop->setEnabled(false);
    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_stop, &QPushButton::clicked, this, &LiveCaptureDialog::stop);
    m_timer->setInterval(2000);
    connect(m_timer, &QTimer::timeout, this, &LiveCaptureDialog::refresh);

    auto *form = new QFormLayout;
    form->addRow(tr("Interface"), m_interfaces);
    form->addRow(tr("Filter"), m_filter);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_filterProblem);
    layout->addWidget(m_status);
    layout->addLayout(buttons);
    validateFilter();
}

LiveCaptureDialog::~LiveCaptureDialog()
{
    if (m_capture)
        m_capture->stop();
}

QString LiveCaptureDialog::filterProblem() const
{
    return m_filterProblem->text();
}

void LiveCaptureDialog::validateFilter()
{
    const auto ok = checkCaptureFilter(m_filter->text().trimmed().toStdString());
    m_filterValid = ok.has_value();
    m_filterProblem->setText(ok ? QString() : QString::fromStdString(ok.error().message));
    m_filter->setStyleSheet(ok ? QString() : QStringLiteral("background: #fde8e8"));
    m_start->setEnabled(m_filterValid && !m_capture && m_interfaces->count() > 0);
}

bool LiveCaptureDialog::start()
{
    if (!m_filterValid || m_capture || m_interfaces->count() == 0)
        return false;
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(folder);
    m_file = QDir(folder).filePath(
        QStringLiteral("live-%1.pcap")
            .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-hhmmss"))));
    LiveCaptureOptions options;
    options.interfaceName = m_interfaces->currentData().toString().toStdString();
    options.filter = m_filter->text().trimmed().toStdString();
    options.writePath = m_file.toStdString();
    options.program = QCoreApplication::applicationFilePath().toStdString();
    auto capture = std::make_unique<LiveCapture>(options);
    if (auto started = capture->start(); !started) {
        QMessageBox::warning(this, tr("Cannot capture"),
                             QString::fromStdString(started.error().message));
        return false;
    }
    m_capture = std::move(capture);
    m_start->setEnabled(false);
    m_stop->setEnabled(true);
    m_status->setText(
        tr("Capturing on %1 into %2…")
            .arg(m_interfaces->currentData().toString(), QDir::toNativeSeparators(m_file)));
    m_timer->start();
    return true;
}

void LiveCaptureDialog::refresh()
{
    if (!m_capture)
        return;
    const LiveCaptureStats stats = m_capture->stats();
    m_status->setText(tr("%1 packets, %2 conversations, %3 dropped")
                          .arg(stats.packets)
                          .arg(m_capture->flowCount())
                          .arg(stats.dropped));
    if (stats.packets == 0 || m_document->isLoading())
        return;
    m_capture->requestFlush();
    // The file joins the project once; each refresh reads the inputs again, decisions kept.
    const bool known = std::find(m_document->project().captures.begin(),
                                 m_document->project().captures.end(), m_file.toStdString())
                       != m_document->project().captures.end();
    m_document->importFiles({}, known ? QStringList() : QStringList{m_file});
}

void LiveCaptureDialog::stop()
{
    if (!m_capture)
        return;
    m_timer->stop();
    m_capture->stop();
    if (auto failure = m_capture->failure())
        QMessageBox::warning(this, tr("Capture stopped"), QString::fromStdString(failure->message));
    refresh();
    m_capture.reset();
    m_stop->setEnabled(false);
    validateFilter();
}

} // namespace bulkhead::ui
