#include <cstdio>
#include <exception>

#include "moat/cli/command.hpp"

int main(int argc, char** argv) {
  try {
    return moat::cli::run_moat(argc, argv);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "moat: internal error: %s\n", error.what());
    return moat::cli::kExitFailure;
  }
}
