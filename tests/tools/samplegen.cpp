// Placeholder until the sample generator lands (being written in this session).
int main() { return 0; }
