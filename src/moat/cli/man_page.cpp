// moat(1) in roff, made from the CommandModel: every command with its options and arguments, plus
// the exit status, environment and files sections the contract defines (docs/cli.md).
#include <fmt/format.h>

#include "moat/cli/cli_model.hpp"

namespace moat::cli {

namespace {

/// Text safe in a roff line: backslashes escaped, hyphens literal, no control line at the start.
std::string roff(std::string_view text) {
  std::string escaped;
  for (char c : text) {
    if (c == '\\') escaped += "\\e";
    else if (c == '-') escaped += "\\-";
    else escaped += c;
  }
  if (!escaped.empty() && (escaped.front() == '.' || escaped.front() == '\'')) escaped.insert(0, "\\&");
  return escaped;
}

std::string option_synopsis(const OptionModel& option) {
  std::string text;
  for (const auto& name : option.names) text += (text.empty() ? "" : ", ") + fmt::format("\\fB{}\\fR", roff(name));
  if (!option.value_name.empty()) text += fmt::format(" \\fI{}\\fR", roff(option.value_name));
  return text;
}

std::string positional_synopsis(const PositionalModel& positional) {
  std::string text = fmt::format("\\fI{}\\fR{}", roff(positional.name), positional.repeated ? "..." : "");
  return positional.required ? text : "[" + text + "]";
}

std::string choices_note(const std::vector<std::string>& choices) {
  if (choices.empty()) return "";
  std::string list;
  for (const auto& choice : choices) list += (list.empty() ? "" : ", ") + fmt::format("\\fB{}\\fR", roff(choice));
  return " One of: " + list + ".";
}

void write_command(std::string& out, const CommandModel& command) {
  std::string synopsis = fmt::format("\\fB{}\\fR", roff(command.path_text()));
  if (!command.options.empty()) synopsis += " [\\fIOPTIONS\\fR]";
  if (!command.subcommands.empty()) synopsis += " \\fICOMMAND\\fR";
  for (const auto& positional : command.positionals) synopsis += " " + positional_synopsis(positional);
  out += fmt::format(".SS \"{}\"\n", command.path_text());
  out += fmt::format(".B {}\n.PP\n{}\n", synopsis, roff(command.description));
  for (const auto& positional : command.positionals)
    out += fmt::format(".TP\n{}\n{}{}\n", positional_synopsis(positional), roff(positional.description),
                       choices_note(positional.choices));
  for (const auto& option : command.options)
    out += fmt::format(".TP\n{}\n{}{}\n", option_synopsis(option), roff(option.description),
                       choices_note(option.choices));
  for (const auto& sub : command.subcommands) write_command(out, sub);
}

}  // namespace

std::string man_page(const CommandModel& root, std::string_view version) {
  std::string out = ".\\\" moat(1), generated from moat's command-line definition by `moat manpage`.\n";
  out += fmt::format(".TH MOAT 1 \"\" \"moat {}\" \"User Commands\"\n", roff(version));
  std::string_view summary = root.description;
  if (summary.starts_with("moat: ")) summary.remove_prefix(6);
  out += ".SH NAME\nmoat \\- " + roff(summary) + "\n";
  out += ".SH SYNOPSIS\n.B moat\n\\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGUMENTS\\fR]\n.br\n.B moat\n"
         "\\fB\\-\\-version\\fR | \\fB\\-\\-help\\fR\n";
  out += ".SH DESCRIPTION\nmoat checks Python code (every Bandit check, plus Semgrep\\-compatible rules), "
         "dependencies (an offline OSV vulnerability database), artifacts (wheels, sdists, conda packages and "
         "the native libraries inside them), their signatures and attestations, and release workflows. "
         "It never runs the code it scans, and needs the network only for \\fBmoat db update\\fR.\n";
  out += ".SH OPTIONS\n";
  for (const auto& option : root.options) out += fmt::format(".TP\n{}\n{}\n", option_synopsis(option), roff(option.description));
  out += ".SH COMMANDS\n";
  for (const auto& command : root.subcommands) write_command(out, command);
  out += ".SH EXIT STATUS\n"
         ".TP\n.B 0\nNo findings at or above the thresholds (or verified, for \\fBmoat verify\\fR).\n"
         ".TP\n.B 1\nFindings (or not verified).\n"
         ".TP\n.B 2\nUsage error, or a failure to do the job: unreadable input, missing database, corrupt archive.\n";
  out += ".SH ENVIRONMENT\n"
         ".TP\n.B MOAT_DB\nThe vulnerability database file (default \\fI$XDG_CACHE_HOME/moat/osv.sqlite\\fR).\n"
         ".TP\n.B NO_COLOR\nWhen set and not empty, no colours (unless \\fB\\-\\-color always\\fR).\n"
         ".TP\n.BR FORCE_COLOR \", \" CLICOLOR_FORCE\nWhen set, not empty and not 0, colours even when the "
         "output is not a terminal (unless \\fB\\-\\-color never\\fR).\n";
  out += ".SH EXAMPLES\n"
         ".nf\nmoat scan .\nmoat scan \\-\\-format sarif \\-o moat.sarif src/\nmoat db update && moat audit "
         "requirements.txt\nmoat explain B602\n.fi\n";
  out += ".SH SEE ALSO\n\\fBbandit\\fR(1), \\fBpre\\-commit\\fR(1); the documentation in "
         "\\fI/usr/share/doc/moat\\fR.\n";
  return out;
}

}  // namespace moat::cli
