#include "dialogs/addedgedialog.h"

#include "document.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace bulkhead::ui {

AddEdgeDialog::AddEdgeDialog(Document *document, QWidget *parent)
    : QDialog(parent)
    , m_document(document)
    , m_from(new QComboBox)
    , m_to(new QComboBox)
    , m_protocol(new QComboBox)
    , m_port(new QSpinBox)
    , m_problem(new QLabel)
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("Add an Edge"));
    const QStringList names = document->endpointNames();
    for (QComboBox *box : {m_from, m_to}) {
        box->setEditable(true);
        box->addItems(names);
        box->setInsertPolicy(QComboBox::NoInsert);
        connect(box, &QComboBox::currentTextChanged, this, &AddEdgeDialog::validate);
    }
    m_protocol->addItems({QStringLiteral("TCP"), QStringLiteral("UDP"), QStringLiteral("SCTP")});
    m_port->setRange(0, 65535);
    m_port->setValue(0);
    m_port->setSpecialValueText(tr("choose a port"));
    m_problem->setObjectName(QStringLiteral("problem"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b02020"));
    connect(m_protocol, &QComboBox::currentTextChanged, this, &AddEdgeDialog::validate);
    connect(m_port, &QSpinBox::valueChanged, this, &AddEdgeDialog::validate);

    auto *form = new QFormLayout;
    form->addRow(tr("From (client)"), m_from);
    form->addRow(tr("To (server)"), m_to);
    form->addRow(tr("Protocol"), m_protocol);
    form->addRow(tr("Server container port"), m_port);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validate();
}

EdgeRef AddEdgeDialog::edge() const
{
    EdgeRef ref;
    ref.from = m_from->currentText().trimmed().toStdString();
    ref.to = m_to->currentText().trimmed().toStdString();
    ref.protocol = m_protocol->currentText() == QLatin1String("UDP")    ? Protocol::UDP
                   : m_protocol->currentText() == QLatin1String("SCTP") ? Protocol::SCTP
                                                                        : Protocol::TCP;
    ref.port = static_cast<uint16_t>(m_port->value());
    return ref;
}

void AddEdgeDialog::setEdge(const EdgeRef &edge)
{
    m_from->setCurrentText(QString::fromStdString(edge.from));
    m_to->setCurrentText(QString::fromStdString(edge.to));
    m_protocol->setCurrentText(QString::fromUtf8(protocolName(edge.protocol).data()));
    m_port->setValue(edge.port);
    validate();
}

QString AddEdgeDialog::problem() const
{
    return m_problem->text();
}

bool AddEdgeDialog::isAcceptable() const
{
    return m_buttons->button(QDialogButtonBox::Ok)->isEnabled();
}

void AddEdgeDialog::validate()
{
    const auto ok = m_document->checkNewEdge(edge());
    m_problem->setText(ok ? QString() : QString::fromStdString(ok.error().message));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok.has_value());
}

} // namespace bulkhead::ui
