#include "views/breadcrumbbar.h"

#include "document.h"
#include "model/model.h"

#include <QHBoxLayout>

#include <QLabel>
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
        return view.ns.empty()
                   ? QObject::tr("%1 (workloads)").arg(QString::fromStdString(view.zone))
                   : QObject::tr("%1 in %2")
                         .arg(QString::fromStdString(view.ns), QString::fromStdString(view.zone));
    case GraphLevel::Focus:
        if (document.hasModel() && view.focus >= 0
            && view.focus < static_cast<int>(document.model().inventory.workloads.size()))
            return QObject::tr("Focus %1 (%n hop(s))", nullptr, view.hops)
                .arg(QString::fromStdString(document.model().inventory.workloads[view.focus].id()));
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
    , m_crumbs(new QHBoxLayout)
    , m_hops(new QSpinBox)
{
    setObjectName(QStringLiteral("breadcrumb"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    m_crumbs->setSpacing(2);
    layout->addLayout(m_crumbs, 1);
    auto *hopsLabel = new QLabel(tr("Focus hops:"));
    m_hops->setObjectName(QStringLiteral("focusHops"));
    m_hops->setRange(1, 6);
    m_hops->setValue(m_document->focusHops());
    m_hops->setToolTip(tr("How far a focus view reaches from its workload, in both directions"));
    hopsLabel->setBuddy(m_hops);
    layout->addWidget(hopsLabel);
    layout->addWidget(m_hops);
    auto *relayout = new QToolButton;
    relayout->setObjectName(QStringLiteral("relayout"));
    relayout->setText(tr("Re-layout"));
    relayout->setToolTip(
        tr("Lay this view out afresh. Otherwise boxes keep their places when the design changes."));
    layout->addWidget(relayout);
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
        if (auto *button = qobject_cast<QPushButton *>(m_crumbs->itemAt(i)->widget()))
            out << button->text();
        else if (auto *label = qobject_cast<QLabel *>(m_crumbs->itemAt(i)->widget());
                 label && label->objectName() == QLatin1String("current"))
            out << label->property("caption").toString();
    return out;
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
        return;
    }
    if (m_document->view().level == GraphLevel::Focus) { // a focus opened elsewhere shows its hops
        const QSignalBlocker blocker(m_hops);
        m_hops->setValue(m_document->view().hops);
    }
    const int n = static_cast<int>(m_document->trail().size());
    for (int i = 0; i < n; ++i) {
        auto *button = new QPushButton(viewCaption(*m_document, i));
        button->setFlat(true);
        button->setCursor(Qt::PointingHandCursor);
        button->setToolTip(tr("Back to this view (Backspace goes back one)"));
        button->setObjectName(QStringLiteral("crumb-%1").arg(i));
        connect(button, &QPushButton::clicked, this, [this, i] { m_document->backTo(i); });
        m_crumbs->addWidget(button);
        m_crumbs->addWidget(new QLabel(QStringLiteral("›")));
    }
    auto *current
        = new QLabel(QStringLiteral("<b>%1</b>").arg(viewCaption(*m_document, -1).toHtmlEscaped()));
    current->setObjectName(QStringLiteral("current"));
    current->setProperty("caption", viewCaption(*m_document, -1));
    current->setTextFormat(Qt::RichText);
    current->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    current->setMinimumWidth(std::min(current->sizeHint().width(), 120));
    current->setToolTip(viewCaption(*m_document, -1));
    m_crumbs->addWidget(current, 1);
    if (m_document->view().level != GraphLevel::Focus) {
        auto *hint = new WholeOrNothingLabel(tr("  <i>double-click a box to open it</i>"));
        hint->setObjectName(QStringLiteral("openHint"));
        hint->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // the first to give way
        m_crumbs->addWidget(hint, 1);
    }
    m_crumbs->addStretch(1);
}

} // namespace bulkhead::ui
