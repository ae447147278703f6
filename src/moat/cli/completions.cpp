// Shell completion scripts made from the CommandModel: each shell learns moat's subcommands, their
// options, the values of options that take a fixed set (--format, --severity, ...) and where file
// names are expected.
#include <fmt/format.h>

#include <functional>

#include "moat/cli/cli_model.hpp"

namespace moat::cli {

namespace {

void for_each_command(const CommandModel& command, const std::function<void(const CommandModel&)>& visit) {
  visit(command);
  for (const auto& sub : command.subcommands) for_each_command(sub, visit);
}

std::string join(const std::vector<std::string>& words, std::string_view separator = " ") {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : std::string(separator)) + word;
  return text;
}

/// A POSIX shell single-quoted string (bash and zsh).
std::string sh_quote(std::string_view text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

/// A fish single-quoted string: only \\ and \' are escapes there.
std::string fish_quote(std::string_view text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

/// Text inside an _arguments "[description]" or a _describe "name:description" entry.
std::string zsh_description(std::string_view text) {
  std::string escaped;
  for (char c : text) {
    if (c == '[' || c == ']' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

std::vector<std::string> option_words(const CommandModel& command) {
  std::vector<std::string> words;
  for (const auto& option : command.options) words.insert(words.end(), option.names.begin(), option.names.end());
  return words;
}

std::vector<std::string> subcommand_names(const CommandModel& command) {
  std::vector<std::string> names;
  for (const auto& sub : command.subcommands) names.push_back(sub.path.back());
  return names;
}

std::string function_name(const CommandModel& command) {
  std::string name = "_" + join(command.path, "_");
  std::ranges::replace(name, '-', '_');
  return name;
}

}  // namespace

std::string bash_completion(const CommandModel& root) {
  std::vector<std::string> paths;
  std::string commands_case;
  std::string values_case;
  for_each_command(root, [&](const CommandModel& command) {
    if (command.path.size() > 1) paths.push_back(sh_quote(command.path_text()));
    std::vector<std::string> words = subcommand_names(command);
    for (const auto& positional : command.positionals)
      words.insert(words.end(), positional.choices.begin(), positional.choices.end());
    commands_case += fmt::format("        {}) words={}; options={} ;;\n", sh_quote(command.path_text()),
                                 sh_quote(join(words)), sh_quote(join(option_words(command))));
    for (const auto& option : command.options) {
      if (option.value_name.empty()) continue;
      std::vector<std::string> patterns;
      for (const auto& name : option.names) patterns.push_back(sh_quote(command.path_text() + " " + name));
      // No fixed values: leave the reply empty so `complete -o default` offers file names.
      const std::string reply = option.choices.empty()
                                    ? std::string("return")
                                    : fmt::format("COMPREPLY=($(compgen -W {} -- \"$cur\")); return",
                                                  sh_quote(join(option.choices)));
      values_case += fmt::format("        {}) {} ;;\n", join(patterns, "|"), reply);
    }
  });
  std::string out =
      "# bash completion for moat, generated from its command-line definition by `moat completion bash`.\n"
      "_moat() {\n"
      "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
      "    # `--format=json`: bash splits at '=', so the option is the word before it.\n"
      "    if [[ $cur == = ]]; then cur=''; elif [[ $prev == = ]]; then prev=${COMP_WORDS[COMP_CWORD-2]}; fi\n"
      "    local path=moat word i words='' options=''\n"
      "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "        word=${COMP_WORDS[i]}\n"
      "        case \"$path $word\" in\n";
  out += fmt::format("            {}) path=\"$path $word\" ;;\n", join(paths, "|"));
  out +=
      "        esac\n"
      "    done\n"
      "    COMPREPLY=()\n"
      "    case \"$path $prev\" in\n";
  out += values_case;
  out +=
      "    esac\n"
      "    case $path in\n";
  out += commands_case;
  out +=
      "    esac\n"
      "    if [[ $cur == -* ]]; then\n"
      "        COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
      "    else\n"
      "        COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
      "    fi\n"
      "}\n"
      "complete -o default -o bashdefault -F _moat moat\n";
  return out;
}

std::string zsh_completion(const CommandModel& root) {
  std::string out =
      "#compdef moat\n"
      "# zsh completion for moat, generated from its command-line definition by `moat completion zsh`.\n";
  for_each_command(root, [&](const CommandModel& command) {
    std::vector<std::string> specs;
    for (const auto& option : command.options) {
      for (const auto& name : option.names) {
        std::string spec = name;
        if (!option.value_name.empty()) spec += name.starts_with("--") ? "=" : "+";
        spec += "[" + zsh_description(option.description) + "]";
        if (!option.value_name.empty())
          spec += ":" + option.value_name + ":" +
                  (option.choices.empty() ? std::string("_files") : "(" + join(option.choices) + ")");
        specs.push_back(sh_quote(spec));
      }
    }
    if (!command.subcommands.empty()) {
      specs.push_back(sh_quote(": :->command"));
      specs.push_back(sh_quote("*:: :->argument"));
    } else {
      for (const auto& positional : command.positionals) {
        const std::string action =
            positional.choices.empty() ? std::string("_files") : "(" + join(positional.choices) + ")";
        const std::string prefix = positional.repeated ? "*:" : (positional.required ? ":" : "::");
        specs.push_back(sh_quote(prefix + positional.name + ":" + action));
      }
    }
    out += fmt::format("\n{}() {{\n", function_name(command));
    out += "    local curcontext=$curcontext state state_descr line\n    typeset -A opt_args\n";
    out += "    _arguments -C -s -S \\\n";
    for (const auto& spec : specs) out += "        " + spec + " \\\n";
    out += "        && return\n";
    if (!command.subcommands.empty()) {
      out += "    case $state in\n        (command)\n            local -a commands=(\n";
      for (const auto& sub : command.subcommands)
        out += "                " + sh_quote(sub.path.back() + ":" + zsh_description(sub.description)) + "\n";
      out += fmt::format("            )\n            _describe -t commands {} commands ;;\n",
                         sh_quote(command.path_text() + " command"));
      out += "        (argument)\n            case $line[1] in\n";
      for (const auto& sub : command.subcommands)
        out += fmt::format("                ({}) {} ;;\n", sub.path.back(), function_name(sub));
      out += "            esac ;;\n    esac\n";
    }
    out += "}\n";
  });
  out +=
      "\nif [ \"$funcstack[1]\" = \"_moat\" ]; then\n"
      "    _moat \"$@\"\n"
      "else\n"
      "    compdef _moat moat\n"
      "fi\n";
  return out;
}

std::string fish_completion(const CommandModel& root) {
  std::vector<std::string> paths;
  for_each_command(root, [&](const CommandModel& command) {
    if (command.path.size() > 1) paths.push_back(fish_quote(command.path_text()));
  });
  std::string out = fmt::format(
      "# fish completion for moat, generated from its command-line definition by `moat completion fish`.\n"
      "# The subcommand path typed so far (\"moat db import\"), from the words before the cursor.\n"
      "function __moat_path\n"
      "    set -l path moat\n"
      "    for word in (commandline -opc)[2..-1]\n"
      "        switch \"$path $word\"\n"
      "            case {}\n"
      "                set path \"$path $word\"\n"
      "        end\n"
      "    end\n"
      "    echo $path\n"
      "end\n"
      "complete -c moat -f\n",
      join(paths));
  for_each_command(root, [&](const CommandModel& command) {
    const std::string condition = fish_quote(fmt::format("test (__moat_path) = \"{}\"", command.path_text()));
    const std::string prefix = "complete -c moat -n " + condition;
    for (const auto& sub : command.subcommands)
      out += fmt::format("{} -a {} -d {}\n", prefix, sub.path.back(), fish_quote(sub.description));
    for (const auto& option : command.options) {
      std::string line = prefix;
      for (const auto& name : option.names)
        line += (name.starts_with("--") ? " -l " : " -s ") + name.substr(name.find_first_not_of('-'));
      if (!option.value_name.empty())
        line += option.choices.empty() ? " -r -F" : " -x -a " + fish_quote(join(option.choices));
      out += line + " -d " + fish_quote(option.description) + "\n";
    }
    if (command.subcommands.empty()) {
      for (const auto& positional : command.positionals)
        out += positional.choices.empty() ? prefix + " -F\n"
                                          : fmt::format("{} -x -a {}\n", prefix, fish_quote(join(positional.choices)));
    }
  });
  return out;
}

}  // namespace moat::cli
