#include "dialogs/policytextdialog.h"

#include "views/yamlhighlighter.h"

#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace bulkhead::ui {

PolicyTextDialog::PolicyTextDialog(const QString &workload, const QString &yaml, const QFont &font,
                                   QWidget *parent)
    : QDialog(parent)
    , m_text(new QPlainTextEdit(yaml))
{
    setWindowTitle(tr("Policies of %1").arg(workload));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(font);
    new YamlHighlighter(m_text->document());
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_text);
    resize(720, 640);
}

QString PolicyTextDialog::text() const
{
    return m_text->toPlainText();
}

} // namespace bulkhead::ui
