#pragma once

#include <QWidget>

class QVBoxLayout;

namespace bulkhead::ui {

class Document;

// The legend (a dock, shown by default): zone colours, what arrow colours and dashes mean, the
// hop badges, folded boxes and the heat scale. The zone part follows the open model's zones.
class LegendWidget : public QWidget
{
    Q_OBJECT

public:
    explicit LegendWidget(Document *document, QWidget *parent = nullptr);
    // The entries' texts in order (tests).
    QStringList entries() const;

private:
    void refresh();

    Document *m_document;
    QVBoxLayout *m_layout;
};

} // namespace bulkhead::ui
