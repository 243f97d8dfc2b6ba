#pragma once

#include "graph/graphdata.h"

#include <QGraphicsItem>
#include <QPainterPath>

namespace bulkhead::ui {

// Level of detail (QStyleOptionGraphicsItem::levelOfDetailFromTransform): below DetailLod text
// would be a few pixels high, so boxes are plain rectangles and arrows thin lines without
// labels or heads, drawn without antialiasing; below StraightLod arrows are straight lines.
// That keeps a whole graph of thousands of workloads quick to paint and pan.
constexpr double DetailLod = 0.45;
constexpr double StraightLod = 0.12;
// A view of at most LegibleBoxLimit boxes is fitted whole even below DetailLod: its boxes and
// clusters then write their names at this many pixels at least (setLegibleTitle), never smaller.
constexpr double LegibleTitlePixels = 10;
// ... and a folded box's caption ("250 workloads") and an arrow's label at this many pixels,
// the labels when the view has at most LegibleArrowLimit arrows (the namespaces level, a zone
// or a group opened).
constexpr double LegibleCaptionPixels = 9;
constexpr int LegibleBoxLimit = 100;
constexpr int LegibleArrowLimit = 60;

// A workload or external peer: a rounded box in its zone colour, the name in bold and the zone
// (or what the peer is) below it, so that colour is never the only cue.
class NodeItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 1 };
    NodeItem(int node, const GraphNode &data);

    int type() const override { return Type; }
    int node() const { return m_node; }
    const Peer &peer() const { return m_data.peer; }
    QString title() const { return m_title; }
    const GraphNode &data() const { return m_data; }
    // Restyles in place after a design change that kept the graph's shape.
    void setData(const GraphNode &data);

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    // Blast radius decorations: hops from the selected workload (0 = it, -1 = none shown).
    void setHops(int hops);
    int hops() const { return m_hops; }
    void setDimmed(bool dimmed);
    // Heat mode: fill with this colour instead of the zone colour (invalid = zone colour).
    void setHeat(const QColor &color, const QString &caption);
    // A review badge under the box's bottom right corner ("+12 excess", "−3 newly blocked"),
    // empty for none; and a small "internet" tag at its top left (exposure in heat mode).
    void setBadge(const QString &text, const QColor &color);
    QString badge() const { return m_badge; }
    void setInternetTag(const QString &text);
    QString internetTag() const { return m_internet; }
    // Zoomed out to `scale` or closer but below DetailLod, the title is still written, at
    // LegibleTitlePixels (the box grown to it in its colour; a peer on a pale band), instead of a
    // bare rectangle, and a folded box's caption under it at LegibleCaptionPixels; 0: never. The
    // band, in scene units at `scale`: where it sticks out of the box.
    void setLegibleScale(double scale);
    double legibleScale() const { return m_legibleScale; }
    // Whether a folded box writes its caption too (off where the captions would collide).
    void setLegibleCaption(bool on);
    QRectF legibleBand(double scale) const;

private:
    int m_node;
    GraphNode m_data;
    QString m_title, m_caption; // m_data's, as Qt strings
    QColor m_fill;              // m_data.color
    double m_legibleScale = 0;
    bool m_legibleCaption = true;
    int m_hops = -1;
    QColor m_heat;
    QString m_heatCaption;
    QString m_badge;
    QColor m_badgeColor;
    QString m_internet;
};

// An arrow between two boxes along the layout's path, its ports written at the midpoint.
class EdgeItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 2 };
    EdgeItem(int edge, const GraphEdge &data, const EdgePath &path);

    int type() const override { return Type; }
    int edge() const { return m_edge; }
    const GraphEdge &data() const { return m_data; }
    QString label() const { return m_label; }
    const QPainterPath &path() const { return m_path; } // the line, without its head
    // Restyles in place after a design change that kept the graph's shape (same path).
    void setData(const GraphEdge &data);
    QSizeF labelSize() const { return m_labelRect.size(); }
    // Moves the label along its arrow (placeEdgeLabels keeps labels apart); half-way at first.
    void setLabelCentre(const QPointF &centre);
    // Zoomed out to `scale` or closer but below DetailLod, the label and the heads are still
    // drawn, at LegibleCaptionPixels (a view of few arrows fitted whole); 0: never.
    void setLegibleScale(double scale);
    QRectF legibleLabelRect(double scale) const;
    // Whether the label is written then too (off where it would cover a box or another label).
    void setLegibleLabel(bool on);
    bool legibleLabel() const { return m_legibleScale > 0 && m_legibleLabel; }
    double legibleScale() const { return m_legibleScale; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;
    void setHighlighted(bool highlighted);
    // What the Review panel says of the arrow's connections (ui/graph/reviewmarks.h).
    enum class Mark { None, Break, NewlyBlocked, NewlyAllowed };
    void setMark(Mark mark);
    Mark mark() const { return m_mark; }

private:
    void updateLabel();
    void paintLegible(QPainter *painter, const QColor &color, double lod) const;

    int m_edge;
    double m_legibleScale = 0;
    bool m_legibleLabel = true;
    GraphEdge m_data;
    QPainterPath m_path;
    QPointF m_start;
    QPointF m_end;
    QPolygonF m_arrow;
    QPolygonF m_tailArrow; // both ways: the head at the start
    QPointF m_labelCentre;
    QString m_label;
    QRectF m_labelRect;
    mutable QPainterPath m_shape; // shape(), made when first asked
    mutable QRectF m_shapeLabelRect;
    bool m_highlighted = false;
    Mark m_mark = Mark::None;
};

// A zone or namespace cluster: a tinted box with its name at the top left.
class ClusterItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 3 };
    ClusterItem(const QString &name, const QRectF &rect, const QColor &color, bool external);
    int type() const override { return Type; }
    QString name() const { return m_name; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;
    // Below DetailLod its name is written at LegibleTitlePixels across its top border, on a tab
    // (in scene units at `scale`).
    void setLegibleTitle(bool on) { m_legible = on; }
    QRectF legibleTab(double scale) const;

private:
    bool m_legible = false;
    QString m_name;
    QRectF m_rect;
    QColor m_color;
    bool m_external;
};

// A guardrail's fence: an outline around the boxes holding a cluster-scoped policy's subject,
// with the policy's name and tier on it.
class FenceItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 4 };
    FenceItem(const QString &label, const QPainterPath &outline);
    int type() const override { return Type; }
    QString label() const { return m_label; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    QString m_label;
    QPainterPath m_outline;
    QRectF m_labelRect;
};

} // namespace bulkhead::ui
