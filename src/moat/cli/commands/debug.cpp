// `moat debug ast [--attributes] [--target VERSION] FILE...`: the parsed tree in CPython's
// ast.dump() format, for comparing moat's parser with CPython (scripts/compare_ast.py).
#include <cstdio>
#include <string>
#include <vector>

#include "moat/cli/command.hpp"
#include "moat/python/parser.hpp"
#include "moat/util/file.hpp"

namespace moat::cli {
namespace {

struct AstOptions {
  std::vector<std::string> files;
  bool attributes = false;
  std::string target = "3.11";
};

std::optional<python::PythonVersion> parse_version(const std::string& text) {
  if (text == "3.11") return python::PythonVersion::Py311;
  if (text == "3.12") return python::PythonVersion::Py312;
  if (text == "3.13") return python::PythonVersion::Py313;
  if (text == "3.14") return python::PythonVersion::Py314;
  return std::nullopt;
}

int run_ast(const AstOptions& options) {
  const auto target = parse_version(options.target);
  if (!target) {
    std::fprintf(stderr, "moat debug ast: unknown --target %s (use 3.11, 3.12, 3.13 or 3.14)\n", options.target.c_str());
    return kExitFailure;
  }
  int exit_code = kExitClean;
  const bool several = options.files.size() > 1;
  for (const std::string& file : options.files) {
    auto bytes = read_file(file);
    if (!bytes) {
      std::fprintf(stderr, "moat debug ast: %s\n", bytes.error().to_string().c_str());
      exit_code = kExitFailure;
      continue;
    }
    python::ParseOptions parse_options;
    parse_options.target = *target;
    parse_options.path = file;
    const python::ParseResult parsed = python::parse(*bytes, parse_options);
    if (several) std::printf("# %s\n", file.c_str());
    if (!parsed.ok()) {
      std::fflush(stdout);
      const python::SyntaxError& error = parsed.errors().front();
      std::fprintf(stderr, "SyntaxError: %s (%s, line %u, column %u)\n", error.message.c_str(), file.c_str(), error.line,
                   error.column);
      if (exit_code == kExitClean) exit_code = kExitFindings;
      continue;
    }
    const std::string text = python::dump(parsed, options.attributes);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fputc('\n', stdout);
  }
  std::fflush(stdout);
  return exit_code;
}

}  // namespace

void configure_debug_command(CLI::App& command, CommandRunner& run) {
  command.require_subcommand(1);
  auto options = std::make_shared<AstOptions>();
  CLI::App* ast = command.add_subcommand("ast", "Print the AST as CPython 3.11's ast.dump() does");
  ast->add_option("FILE", options->files, "Python source files")->required();
  ast->add_flag("--attributes", options->attributes, "Include lineno, col_offset, end_lineno, end_col_offset");
  ast->add_option("--target", options->target, "Python version whose grammar is accepted (3.11 to 3.14)")
      ->capture_default_str();
  run = [options] { return run_ast(*options); };
}

}  // namespace moat::cli
