#pragma once

#include <QWidget>

class QHBoxLayout;
class QSpinBox;

namespace bulkhead::ui {

class Document;

// Above the graph: where the view is ("Overview › restricted › shop › focus shop/cart") as
// buttons that lead back, the level shown, the focus view's hops, and Re-layout.
class BreadcrumbBar : public QWidget
{
    Q_OBJECT

public:
    explicit BreadcrumbBar(Document *document, QWidget *parent = nullptr);
    // The crumbs' texts, first to current (for tests and screenshots).
    QStringList crumbs() const;

private:
    void refresh();

    Document *m_document;
    QHBoxLayout *m_crumbs;
    QSpinBox *m_hops;
};

// The caption of one view: "Zones", "restricted: namespaces", "shop/cart within 2 hops".
QString viewCaption(const Document &document, int trailIndex);

} // namespace bulkhead::ui
