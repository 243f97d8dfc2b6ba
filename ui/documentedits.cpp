// Document's design edits: each validates, and pushes one undo command (ui/commands/) unless it
// would change nothing. The rest of Document is in document.cpp.
#include "document.h"

#include "commands/addedgecommand.h"
#include "commands/allowedgecommand.h"
#include "commands/denyedgecommand.h"
#include "commands/moveworkloadcommand.h"
#include "commands/pathdecisioncommand.h"
#include "commands/removedecisioncommand.h"
#include "design/edgepaths.h"
#include "model/model.h"
#include "peernames.h"

#include <QUndoStack>

#include <algorithm>

namespace bulkhead::ui {

void Document::setDecisions(const Decisions &decisions)
{
    m_project.decisions = decisions;
    if (m_loaded)
        recompute();
}

EdgeRef Document::edgeRefOf(const Edge &edge) const
{
    return edgeRef(m_model->inventory, edge);
}

bool Document::isAllowed(const EdgeRef &ref) const
{
    return m_allowedRefs.count(ref) > 0;
}

bool Document::denyEdge(const EdgeRef &edge)
{
    const auto &denied = m_project.decisions.denied;
    if (std::find(denied.begin(), denied.end(), edge) != denied.end())
        return false;
    // An edge added by hand and never observed is removed, not denied: a denial of something that
    // does not exist would stay in the project and be drawn as if it were traffic.
    const auto &added = m_project.decisions.added;
    if (m_model && std::find(added.begin(), added.end(), edge) != added.end()) {
        const auto &observed = m_model->analysis.edges;
        const bool seen = std::any_of(observed.begin(), observed.end(), [&](const Edge &e) {
            return edgeRef(m_model->inventory, e) == edge;
        });
        if (!seen) {
            m_undoStack->push(new RemoveDecisionCommand(
                this, DecisionEntry{DecisionEntry::Kind::Added, edge, {}, {}}));
            return true;
        }
    }
    m_undoStack->push(new DenyEdgeCommand(this, edge));
    return true;
}

bool Document::allowEdge(const EdgeRef &edge)
{
    if (isAllowed(edge))
        return false;
    m_undoStack->push(new AllowEdgeCommand(this, edge));
    return true;
}

QStringList Document::endpointNames() const
{
    return m_loaded ? bulkhead::ui::endpointNames(*m_model, m_graph) : QStringList();
}

Expected<void> Document::checkNewEdge(const EdgeRef &edge) const
{
    if (!m_loaded)
        return makeError("", 0, "Open a model first.");
    return bulkhead::ui::checkNewEdge(*m_model, endpointNames(), edge, isAllowed(edge));
}

Expected<void> Document::addEdge(const EdgeRef &edge)
{
    if (auto ok = checkNewEdge(edge); !ok)
        return ok;
    m_undoStack->push(new AddEdgeCommand(this, edge));
    return {};
}

bool Document::moveWorkload(int workload, const QString &zone)
{
    if (!m_loaded || workload < 0
        || workload >= static_cast<int>(m_model->inventory.workloads.size()))
        return false;
    if (!m_model->zones.level(zone.toStdString()))
        return false;
    if (m_model->inventory.workloads[workload].zone == zone.toStdString())
        return false;
    m_undoStack->push(new MoveWorkloadCommand(this, workload, zone));
    return true;
}

PathTree Document::pathTreeOf(const std::string &from, const std::string &to, uint16_t port) const
{
    if (!m_model)
        return {};
    return edgePathTree(m_model->inventory, m_model->analysis.httpRequests, pathCollapse(),
                        m_project.decisions.paths, from, to, port);
}

bool Document::setPathDecision(const PathDecision &node, std::optional<PathAction> action)
{
    const auto &paths = m_project.decisions.paths;
    const auto it = std::find_if(paths.begin(), paths.end(),
                                 [&](const PathDecision &d) { return d.sameNode(node); });
    if ((it == paths.end() && !action) || (it != paths.end() && action && it->action == *action))
        return false;
    m_undoStack->push(new PathDecisionCommand(this, node, action));
    return true;
}

} // namespace bulkhead::ui
