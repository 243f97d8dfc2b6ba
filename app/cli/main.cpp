// Placeholder until the CLI lands (being written in this session).
int main() { return 0; }
