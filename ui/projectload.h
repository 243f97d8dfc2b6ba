#pragma once

#include "graph/graphdata.h"
#include "model/buildmodel.h"
#include "project/project.h"
#include "util/error.h"
#include "util/progress.h"

#include <QString>

class QFont;

#include <atomic>
#include <functional>
#include <memory>

namespace bulkhead::ui {

struct DesignResult;

// What one background load produced: the model as read and the design of the project's decisions.
struct LoadedModel
{
    Model model; // as read: zones from labels, no override
};

struct LoadOutcome
{
    std::shared_ptr<const LoadedModel> loaded;
    QString error;
    double seconds = 0;
    std::shared_ptr<DesignResult> design; // of the project's decisions
};

// Reports capture-reading progress (only when the percentage changes; `report` queues it to the
// GUI thread) and carries the cancel flag.
class LoadProgress : public ProgressSink
{
public:
    LoadProgress(std::function<void(int)> report, std::shared_ptr<std::atomic<bool>> cancel)
        : m_report(std::move(report))
        , m_cancel(std::move(cancel))
    {
    }
    void progress(uint64_t done, uint64_t total) override
    {
        const int percent = total == 0 ? -1 : static_cast<int>(done * 100 / total);
        if (percent == m_lastPercent.exchange(percent))
            return;
        m_report(percent);
    }
    bool isCancelled() const override { return m_cancel->load(); }

private:
    std::function<void(int)> m_report;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::atomic<int> m_lastPercent{-2};
};

// The project of a path: a `.bulkhead` file, or a folder (inventory.yaml, every capture,
// zones.yaml when present) as an unsaved project.
Expected<Project> projectOfPath(const QString &path);

// Reads the project's inputs (buildModel, progress and cancel through `sink`), then, unless
// cancelled, the design of its decisions: the work of one background load.
LoadOutcome readProject(const Project &project, LoadProgress *sink, ClusterMode mode,
                        const QFont &font);

} // namespace bulkhead::ui
