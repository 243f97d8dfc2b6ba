#pragma once

#include <QWidget>

class QBoxLayout;
class QHBoxLayout;
class QSpinBox;

namespace bulkhead::ui {

class Document;

// Above the graph: where the view is ("Overview › restricted › shop › focus shop/cart") as
// buttons that lead back, the level shown, the focus view's hops, and Re-layout. The crumbs are
// never cut: earlier crumbs are shortened in the middle (their tooltip says them whole), and
// where the bar is still too narrow the hops and Re-layout go to a row of their own below.
class BreadcrumbBar : public QWidget
{
    Q_OBJECT

public:
    explicit BreadcrumbBar(Document *document, QWidget *parent = nullptr);
    // The crumbs' texts, first to current (for tests and screenshots).
    QStringList crumbs() const;
    // Whether the hops and Re-layout sit below the crumbs (a narrow bar).
    bool controlsBelow() const;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void refresh();
    void placeControls();
    void elideEarlierCrumbs(int textWidth);
    int crumbsWidth() const; // what the crumbs need, the hint aside

    Document *m_document;
    QBoxLayout *m_rows;
    QHBoxLayout *m_crumbs;
    QWidget *m_controls;
    QSpinBox *m_hops;
};

// The caption of one view: "Zones", "restricted: namespaces", "shop/cart within 2 hops".
QString viewCaption(const Document &document, int trailIndex);

} // namespace bulkhead::ui
