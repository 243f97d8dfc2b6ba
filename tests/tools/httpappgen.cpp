// Writes the HTTP app of httpapp.h (inventory.yaml, http.pcap) into a folder, for the
// screenshots of the Arrow Paths dock (tests/tools/screenshots.sh). Usage: bulkhead-httpapp DIR
#include "httpapp.h"

#include <iostream>

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::cerr << "usage: bulkhead-httpapp DIR\n";
        return 2;
    }
    if (!bulkhead::testing::writeHttpApp(argv[1])) {
        std::cerr << "bulkhead-httpapp: cannot write into " << argv[1] << '\n';
        return 2;
    }
    return 0;
}
