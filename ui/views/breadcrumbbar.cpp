#include "views/breadcrumbbar.h"

#include "document.h"
#include "model/model.h"

#include <QHBoxLayout>

#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <algorithm>

namespace bulkhead::ui {

namespace {

// A hint shown whole or not at all: where the bar has no room for it, it gives its room away
// instead of showing a cut sentence.
class WholeOrNothingLabel : public QLabel
{
public:
    using QLabel::QLabel;

    bool fits() const { return width() >= sizeHint().width(); }

protected:
    void paintEvent(QPaintEvent *event) override
    {
        if (fits())
            QLabel::paintEvent(event);
    }
};

// The current view's crumb, in bold: whole where the bar has room (the hops and Re-layout move
// below it first), shortened in the middle only in a bar narrower than the crumb itself.
class CurrentCrumb : public QLabel
{
public:
    explicit CurrentCrumb(const QString &text)
        : QLabel(text)
    {
        QFont bold = font();
        bold.setBold(true);
        setFont(bold);
        setTextFormat(Qt::PlainText);
        setMinimumWidth(std::min(sizeHint().width(), 120));
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        const QRect area = contentsRect();
        painter.drawText(area, Qt::AlignVCenter | Qt::AlignLeft,
                         fontMetrics().elidedText(text(), Qt::ElideMiddle, area.width()));
    }
};

// An earlier crumb: a flat button as wide as its (shortened) text, without the style's minimum
// width of a push button.
class CrumbButton : public QPushButton
{
public:
    using QPushButton::QPushButton;

    QSize sizeHint() const override
    {
        QSize size = QPushButton::sizeHint();
        size.setWidth(fontMetrics().horizontalAdvance(text()) + 12);
        return size;
    }
    QSize minimumSizeHint() const override { return sizeHint(); }
};

// The widest an earlier crumb's text is drawn before it is shortened in the middle, and the
// shortest it is shortened to in a narrow bar.
constexpr int kEarlierCrumbWidth = 180;
constexpr int kShortestCrumbWidth = 30;

QString captionOf(const Document &document, const LevelView &view)
{
    switch (view.level) {
    case GraphLevel::Zones: return QObject::tr("All zones");
    case GraphLevel::Namespaces:
        return view.zone.empty()
                   ? QObject::tr("All namespaces")
                   : QObject::tr("%1 (namespaces)").arg(QString::fromStdString(view.zone));
    case GraphLevel::Workloads:
        if (view.zone.empty())
            return QObject::tr("All workloads");
        if (view.ns.empty())
            return QObject::tr("%1 (workloads)").arg(QString::fromStdString(view.zone));
        if (!view.group.empty())
            return QString::fromStdString(view.group);
        return QObject::tr("%1 in %2")
            .arg(QString::fromStdString(view.ns), QString::fromStdString(view.zone));
    case GraphLevel::Focus:
        if (document.hasModel() && view.focus >= 0
            && view.focus < static_cast<int>(document.model().inventory.workloads.size())) {
            // (no translator is loaded: "%n hop(s)" would be shown as written)
            const QString id
                = QString::fromStdString(document.model().inventory.workloads[view.focus].id());
            return view.hops == 1 ? QObject::tr("Focus %1 (1 hop)").arg(id)
                                  : QObject::tr("Focus %1 (%2 hops)").arg(id).arg(view.hops);
        }
        return QObject::tr("Focus");
    }
    return {};
}

} // namespace

QString viewCaption(const Document &document, int trailIndex)
{
    const auto &trail = document.trail();
    if (trailIndex >= 0 && trailIndex < static_cast<int>(trail.size()))
        return captionOf(document, trail[trailIndex]);
    return captionOf(document, document.view());
}

BreadcrumbBar::BreadcrumbBar(Document *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_rows(new QBoxLayout(QBoxLayout::LeftToRight, this))
    , m_crumbs(new QHBoxLayout)
    , m_controls(new QWidget)
    , m_hops(new QSpinBox)
{
    setObjectName(QStringLiteral("breadcrumb"));
    // (the crumbs shorten to the bar's width: they never widen the map pane)
    setMinimumWidth(200);
    m_rows->setContentsMargins(6, 2, 6, 2);
    m_rows->setSpacing(2);
    m_crumbs->setSpacing(2);
    m_rows->addLayout(m_crumbs, 1);
    m_controls->setObjectName(QStringLiteral("crumbControls"));
    auto *controls = new QHBoxLayout(m_controls);
    controls->setContentsMargins(0, 0, 0, 0);
    auto *hopsLabel = new QLabel(tr("Focus hops:"));
    hopsLabel->setObjectName(QStringLiteral("focusHopsLabel"));
    m_hops->setObjectName(QStringLiteral("focusHops"));
    m_hops->setRange(1, 6);
    m_hops->setValue(m_document->focusHops());
    m_hops->setToolTip(tr("How far a focus view reaches from its workload, in both directions"));
    hopsLabel->setBuddy(m_hops);
    controls->addWidget(hopsLabel);
    controls->addWidget(m_hops);
    auto *relayout = new QToolButton;
    relayout->setObjectName(QStringLiteral("relayout"));
    relayout->setText(tr("Re-layout"));
    relayout->setToolTip(
        tr("Lay this view out afresh. Otherwise boxes keep their places when the design changes."));
    controls->addWidget(relayout);
    m_rows->addWidget(m_controls, 0, Qt::AlignRight);
    connect(relayout, &QToolButton::clicked, m_document, &Document::relayout);
    connect(m_hops, &QSpinBox::valueChanged, this, [this](int hops) {
        m_document->setFocusHops(hops);
        const LevelView &view = m_document->view();
        if (view.level == GraphLevel::Focus && view.hops != hops) {
            m_document->focusWorkload(view.focus, hops, false); // the same crumb, further out
        }
    });
    connect(m_document, &Document::viewChanged, this, &BreadcrumbBar::refresh);
    connect(m_document, &Document::modelChanged, this, &BreadcrumbBar::refresh);
    refresh();
}

QStringList BreadcrumbBar::crumbs() const
{
    QStringList out;
    for (int i = 0; i < m_crumbs->count(); ++i)
        if (QWidget *widget = m_crumbs->itemAt(i)->widget();
            widget && widget->property("caption").isValid())
            out << widget->property("caption").toString();
    return out;
}

bool BreadcrumbBar::controlsBelow() const
{
    return m_rows->direction() == QBoxLayout::TopToBottom;
}

int BreadcrumbBar::crumbsWidth() const
{
    int width = 0;
    for (int i = 0; i < m_crumbs->count(); ++i) {
        QWidget *widget = m_crumbs->itemAt(i)->widget();
        if (!widget || widget->objectName() == QLatin1String("openHint"))
            continue;
        width += widget->sizeHint().width() + m_crumbs->spacing();
    }
    return width;
}

void BreadcrumbBar::elideEarlierCrumbs(int textWidth)
{
    for (int i = 0; i < m_crumbs->count(); ++i)
        if (auto *button = qobject_cast<QPushButton *>(m_crumbs->itemAt(i)->widget()))
            button->setText(button->fontMetrics().elidedText(button->property("caption").toString(),
                                                             Qt::ElideMiddle, textWidth));
}

void BreadcrumbBar::placeControls()
{
    // Earlier crumbs at most kEarlierCrumbWidth wide; then the hops and Re-layout below the
    // crumbs; then the earlier crumbs shorter still, down to kShortestCrumbWidth.
    const QMargins margins = m_rows->contentsMargins();
    const int row = width() - margins.left() - margins.right();
    elideEarlierCrumbs(kEarlierCrumbWidth);
    const bool oneRow = crumbsWidth() + m_rows->spacing() + m_controls->sizeHint().width() <= row;
    const auto direction = oneRow ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom;
    if (m_rows->direction() != direction)
        m_rows->setDirection(direction);
    for (int text = kEarlierCrumbWidth;
         !oneRow && crumbsWidth() > row && text > kShortestCrumbWidth;) {
        text = std::max(kShortestCrumbWidth, text - 10);
        elideEarlierCrumbs(text);
    }
}

void BreadcrumbBar::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    placeControls();
}

void BreadcrumbBar::refresh()
{
    // (deleted later: the clicked crumb is being asked to go back when this runs)
    while (QLayoutItem *item = m_crumbs->takeAt(0)) {
        if (QWidget *widget = item->widget()) {
            widget->hide();
            widget->deleteLater();
        }
        delete item;
    }
    if (!m_document->hasModel()) {
        m_crumbs->addStretch(1);
        placeControls();
        return;
    }
    if (m_document->view().level == GraphLevel::Focus) { // a focus opened elsewhere shows its hops
        const QSignalBlocker blocker(m_hops);
        m_hops->setValue(m_document->view().hops);
    }
    const int n = static_cast<int>(m_document->trail().size());
    for (int i = 0; i < n; ++i) {
        const QString caption = viewCaption(*m_document, i);
        auto *button = new CrumbButton(caption); // (shortened by placeControls)
        button->setProperty("caption", caption);
        button->setFlat(true);
        button->setCursor(Qt::PointingHandCursor);
        button->setToolTip(tr("Back to %1 (Backspace goes back one)").arg(caption));
        button->setObjectName(QStringLiteral("crumb-%1").arg(i));
        connect(button, &QPushButton::clicked, this, [this, i] { m_document->backTo(i); });
        m_crumbs->addWidget(button);
        m_crumbs->addWidget(new QLabel(QStringLiteral("›")));
    }
    const QString caption = viewCaption(*m_document, -1);
    auto *current = new CurrentCrumb(caption);
    current->setObjectName(QStringLiteral("current"));
    current->setProperty("caption", caption);
    current->setToolTip(caption);
    m_crumbs->addWidget(current);
    if (m_document->view().level != GraphLevel::Focus) {
        auto *hint = new WholeOrNothingLabel(tr("  <i>double-click a box to open it</i>"));
        hint->setObjectName(QStringLiteral("openHint"));
        hint->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // the first to give way
        m_crumbs->addWidget(hint, 1);
    }
    m_crumbs->addStretch(1);
    placeControls();
}

} // namespace bulkhead::ui
