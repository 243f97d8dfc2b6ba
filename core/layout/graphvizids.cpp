#include "layout/graphvizids.h"

#include <graphviz/cgraph.h>

#include <map>
#include <string>
#include <utility>

namespace bulkhead {

namespace {

// The names and ids of one root graph (shared by its subgraphs). Names are kept here rather than
// in cgraph's internal map of names: cgraph's agclose drops that map's entries without freeing
// them (closing the first subgraph closes the root's maps), a leak per name under ASan.
// The names are cgraph's reference-counted strings (agstrdup): its writer asks of a name whether it
// was made as an HTML string, which only such a string can answer.
struct Ids
{
    Agraph_t *root = nullptr;
    IDTYPE next = 1;
    std::map<std::pair<int, std::string>, IDTYPE> byName; // (object type, name) -> id
    std::map<IDTYPE, char *> names;
};

void *idOpen(Agraph_t *root, Agdisc_t *)
{
    Ids *ids = new Ids;
    ids->root = root;
    return ids;
}

// A name already seen gets its id back; a new object, named or not, the next id.
long idMap(void *state, int objtype, char *name, IDTYPE *id, int create)
{
    Ids &ids = *static_cast<Ids *>(state);
    if (name) {
        const auto it = ids.byName.find({objtype, name});
        if (it != ids.byName.end()) {
            *id = it->second;
            return 1;
        }
    }
    if (!create)
        return 0;
    *id = ids.next;
    ids.next += 2; // (odd, as cgraph's own anonymous ids)
    if (name) {
        ids.byName.emplace(std::pair<int, std::string>(objtype, name), *id);
        ids.names.emplace(*id, agstrdup(ids.root, name));
    }
    return 1;
}

// No object is ever asked for by an id of the caller's choosing.
long idAlloc(void *, int, IDTYPE)
{
    return 0;
}

// Names stay until the root graph closes (its objects are deleted only then).
void idFree(void *, int, IDTYPE) {}

// An object's name; none for an anonymous one (cgraph then writes "%ID", or nothing for an edge).
char *idPrint(void *state, int, IDTYPE id)
{
    Ids &ids = *static_cast<Ids *>(state);
    const auto it = ids.names.find(id);
    return it == ids.names.end() ? nullptr : it->second;
}

// (cgraph closes its strings after this)
void idClose(void *state)
{
    Ids *ids = static_cast<Ids *>(state);
    for (const auto &[id, name] : ids->names)
        agstrfree(ids->root, name);
    delete ids;
}

void idRegister(void *, int, void *) {}

Agiddisc_t ids = {idOpen, idMap, idAlloc, idFree, idPrint, idClose, idRegister};
Agdisc_t discipline = {&AgMemDisc, &ids, &AgIoDisc};

} // namespace

Agdisc_s *creationOrderDiscipline()
{
    return &discipline;
}

} // namespace bulkhead
