#include "layout/graphvizids.h"

#include <graphviz/cgraph.h>

namespace bulkhead {

namespace {

// The state of one root graph: the next id (odd, as cgraph's own anonymous ids).
void *idOpen(Agraph_t *, Agdisc_t *)
{
    return new IDTYPE(1);
}

// A name is not mapped here (false), so cgraph asks again without it and keeps the name in its
// internal map; without a name, the next id.
long idMap(void *state, int, char *name, IDTYPE *id, int create)
{
    if (name || !create)
        return 0;
    IDTYPE &next = *static_cast<IDTYPE *>(state);
    *id = next;
    next += 2;
    return 1;
}

// No object is ever asked for by its id.
long idAlloc(void *, int, IDTYPE)
{
    return 0;
}

void idFree(void *, int, IDTYPE) {}

// Names come from cgraph's internal map; an edge has none.
char *idPrint(void *, int, IDTYPE)
{
    return nullptr;
}

void idClose(void *state)
{
    delete static_cast<IDTYPE *>(state);
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
