#pragma once

#include <QDialog>

class QFont;
class QPlainTextEdit;

namespace bulkhead::ui {

// The policies selecting a workload, as YAML, in a window of its own (the inspector's "Open in
// Window"): read-only, unwrapped, highlighted, as large as the user likes. It copies the text, so
// it stays as it was when opened while the inspector moves on.
class PolicyTextDialog : public QDialog
{
    Q_OBJECT

public:
    PolicyTextDialog(const QString &workload, const QString &yaml, const QFont &font,
                     QWidget *parent = nullptr);

    QString text() const;

private:
    QPlainTextEdit *m_text;
};

} // namespace bulkhead::ui
