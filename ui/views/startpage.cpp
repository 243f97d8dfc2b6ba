#include "views/startpage.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace bulkhead::ui {

StartPage::StartPage(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("startPage"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(60, 40, 60, 40);
    auto *title = new QLabel(tr("<h2>Bulkhead</h2><p>Least-privilege NetworkPolicies from observed "
                                "traffic, and how far a compromised workload could reach.</p>"));
    layout->addWidget(title);
    auto *sample = new QPushButton(tr("Open sample (Online Boutique)"));
    sample->setObjectName(QStringLiteral("openSample"));
    connect(sample, &QPushButton::clicked, this, &StartPage::openSampleRequested);
    auto *open = new QPushButton(tr("Open project or folder…"));
    connect(open, &QPushButton::clicked, this, &StartPage::openDialogRequested);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(sample);
    buttons->addWidget(open);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    layout->addWidget(new QLabel(tr("<b>Recent projects</b>")));
    auto *recent = new QListWidget;
    recent->setObjectName(QStringLiteral("recentList"));
    for (const QString &path : QSettings().value(QStringLiteral("recentFiles")).toStringList())
        recent->addItem(path);
    connect(recent, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { emit openRequested(item->text()); });
    layout->addWidget(recent, 1);
    layout->addWidget(new QLabel(tr("Drop a project, a folder, inventories or captures here.")));
}

} // namespace bulkhead::ui
