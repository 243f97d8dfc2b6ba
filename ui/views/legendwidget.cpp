#include "views/legendwidget.h"

#include "document.h"
#include "graph/palette.h"
#include "model/model.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>
#include <QScrollArea>
#include <QVBoxLayout>

namespace bulkhead::ui {

namespace {

constexpr int kSwatchWidth = 40;
constexpr int kSwatchHeight = 18;

QPixmap swatch(const std::function<void(QPainter &, const QRectF &)> &draw)
{
    const qreal ratio = 2;
    QPixmap pixmap(QSize(kSwatchWidth, kSwatchHeight) * ratio);
    pixmap.setDevicePixelRatio(ratio);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    draw(painter, QRectF(1, 1, kSwatchWidth - 2, kSwatchHeight - 2));
    return pixmap;
}

QPixmap boxSwatch(const QColor &fill, bool dashed = false, bool folded = false)
{
    return swatch([=](QPainter &p, const QRectF &r) {
        QPen pen(fill.darker(150), 1.2);
        if (dashed)
            pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.setBrush(fill);
        const QRectF box = folded ? r.adjusted(0, 0, -4, -4) : r;
        if (folded)
            p.drawRoundedRect(box.translated(3, 3), 4, 4);
        p.drawRoundedRect(box, 4, 4);
    });
}

QPixmap arrowSwatch(uint32_t rgb, bool dashed, bool wide = false)
{
    return swatch([=](QPainter &p, const QRectF &r) {
        const QColor color = QColor::fromRgb(rgb);
        QPen pen(color, wide ? 3 : 1.5);
        if (dashed)
            pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        const qreal y = r.center().y();
        p.drawLine(QPointF(r.left(), y), QPointF(r.right() - 6, y));
        p.setPen(Qt::NoPen);
        p.setBrush(color);
        p.drawPolygon(QPolygonF(
            {QPointF(r.right(), y), QPointF(r.right() - 8, y - 4), QPointF(r.right() - 8, y + 4)}));
    });
}

QPixmap badgeSwatch(bool filled)
{
    return swatch([=](QPainter &p, const QRectF &r) {
        const QRectF badge(r.center().x() - 8, r.center().y() - 8, 16, 16);
        p.setPen(QPen(filled ? Qt::white : QColor(0x20, 0x20, 0x20), 1.2));
        p.setBrush(filled ? QColor(0x20, 0x20, 0x20) : QColor(Qt::white));
        p.drawEllipse(badge);
        QFont font = p.font();
        font.setBold(true);
        font.setPixelSize(10);
        p.setFont(font);
        p.setPen(filled ? Qt::white : QColor(0x20, 0x20, 0x20));
        p.drawText(badge, Qt::AlignCenter, QStringLiteral("2"));
    });
}

QPixmap heatSwatch()
{
    return swatch([](QPainter &p, const QRectF &r) {
        QLinearGradient gradient(r.topLeft(), r.topRight());
        for (int i = 0; i <= 10; ++i)
            gradient.setColorAt(i / 10.0, QColor::fromRgb(palette::heatColor(i / 10.0)));
        p.setPen(QPen(QColor(0x60, 0x60, 0x60), 0.8));
        p.setBrush(gradient);
        p.drawRect(r);
    });
}

} // namespace

LegendWidget::LegendWidget(Document *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_layout(new QVBoxLayout)
{
    setObjectName(QStringLiteral("legend"));
    auto *content = new QWidget;
    content->setLayout(m_layout);
    m_layout->setContentsMargins(8, 6, 8, 6);
    m_layout->setSpacing(3);
    auto *scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // the entries wrap instead
    scroll->setFrameShape(QFrame::NoFrame);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    setMinimumWidth(150); // a squeezed dock cannot cut the entries to their swatches
    connect(m_document, &Document::modelChanged, this, &LegendWidget::refresh);
    refresh();
}

QStringList LegendWidget::entries() const
{
    QStringList out;
    for (const QLabel *label : findChildren<QLabel *>())
        if (label->objectName() == QLatin1String("entry"))
            out << label->text();
    return out;
}

void LegendWidget::refresh()
{
    while (QLayoutItem *item = m_layout->takeAt(0)) {
        if (item->layout())
            while (QLayoutItem *inner = item->layout()->takeAt(0)) {
                delete inner->widget();
                delete inner;
            }
        delete item->widget();
        delete item;
    }
    const auto heading = [this](const QString &text) {
        auto *label = new QLabel(QStringLiteral("<b>%1</b>").arg(text));
        label->setWordWrap(true);
        label->setContentsMargins(0, 6, 0, 0);
        m_layout->addWidget(label);
    };
    const auto entry = [this](const QPixmap &pixmap, const QString &text) {
        auto *row = new QHBoxLayout;
        auto *icon = new QLabel;
        icon->setPixmap(pixmap);
        icon->setFixedSize(kSwatchWidth, kSwatchHeight);
        auto *label = new QLabel(text);
        label->setObjectName(QStringLiteral("entry"));
        label->setWordWrap(true);
        row->addWidget(icon);
        row->addWidget(label, 1);
        m_layout->addLayout(row);
    };

    heading(tr("Zones (box and cluster colour)"));
    if (m_document->hasModel()) {
        for (const ZoneLevel &level : m_document->model().zones.levels)
            entry(boxSwatch(QColor(QString::fromStdString(level.color))),
                  QString::fromStdString(level.name));
    } else {
        for (const ZoneLevel &level : defaultZones().levels)
            entry(boxSwatch(QColor(QString::fromStdString(level.color))),
                  QString::fromStdString(level.name));
    }
    entry(boxSwatch(QColor::fromRgb(palette::externalFill), true),
          tr("outside the workloads (dashed)"));
    entry(boxSwatch(QColor(0xd8, 0xd8, 0xe0), false, true),
          tr("folded box: a zone, namespace or group; double-click opens it"));

    heading(tr("Arrows"));
    entry(arrowSwatch(palette::edgeObserved, false), tr("observed, allowed"));
    entry(arrowSwatch(palette::edgeAdded, false), tr("added by you, allowed"));
    entry(arrowSwatch(palette::edgeFlagged, false), tr("flagged by a zone rule, allowed"));
    entry(arrowSwatch(palette::edgeBlocked, true), tr("blocked by a zone rule (dashed)"));
    entry(arrowSwatch(palette::edgeDenied, true), tr("denied by you (dashed)"));
    entry(arrowSwatch(palette::edgeBreak, true),
          tr("break: observed, not allowed by existing policies"));
    entry(boxSwatch(QColor::fromRgb(palette::edgeExcess)),
          tr("“+N excess” badge: connections into the box the loaded policies allow, never "
             "observed"));
    entry(arrowSwatch(palette::edgeNewlyBlocked, true),
          tr("compare: the design newly blocks it (dashed; “−N” badge: never observed)"));
    entry(arrowSwatch(palette::edgeNewlyAllowed, false), tr("compare: the design newly allows it"));
    entry(boxSwatch(QColor::fromRgb(palette::guardrailFence), true),
          tr("guardrail fence: the subjects of a cluster-wide policy (Admin or Baseline tier), "
             "named on it"));
    entry(boxSwatch(QColor::fromRgb(palette::internetExposure)),
          tr("heat mode: “internet” reached directly, “via internet” through another workload"));
    entry(arrowSwatch(palette::edgeObserved, false, true),
          tr("selected arrow (its flows are listed)"));
    entry(swatch([](QPainter &p, const QRectF &r) {
              p.setPen(QPen(QColor::fromRgb(palette::labelBorder), 0.8));
              p.setBrush(Qt::white);
              p.drawRoundedRect(r.adjusted(2, 2, -2, -2), 3, 3);
          }),
          tr("label: ports, first three then +N; “· N pairs” when folded"));

    heading(tr("Blast radius"));
    entry(badgeSwatch(true), tr("hops from the selected workload (the rest is dimmed)"));
    entry(badgeSwatch(false), tr("hops from the focused workload (focus view)"));

    heading(tr("Heat mode (Ctrl+H)"));
    entry(
        heatSwatch(),
        tr("share of workloads reached: pale none, violet all; inside a band of the zone colour"));
    m_layout->addStretch(1);
}

} // namespace bulkhead::ui
