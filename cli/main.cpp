#include "app.h"

int main(int argc, char** argv) { return selftalk::cli::run(argc, argv); }
