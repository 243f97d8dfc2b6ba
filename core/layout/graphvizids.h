#pragma once

// Graphviz graphs whose objects are numbered in the order they are made.

struct Agdisc_s;

namespace bulkhead {

// The discipline to open every Graphviz graph with (agopen's third argument). cgraph keeps a
// graph's subgraphs in the order of their ids, and its default ids of named objects are the
// addresses of their names in memory: clusters were laid out and written (DOT) in an order that
// changed from run to run. Here ids count up in the order the objects are made, and names are kept
// by the discipline itself (not in cgraph's internal map, whose entries agclose leaks), so the
// clusters keep the order they were made in.
Agdisc_s *creationOrderDiscipline();

} // namespace bulkhead
