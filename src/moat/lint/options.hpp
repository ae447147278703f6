#pragma once
// Everything that changes what the checks report: the enabled checks, compat mode, suppression
// handling and the per-check options of Bandit's config sections (same names, same defaults).
#include <string>
#include <vector>

#include "moat/lint/registry.hpp"

namespace moat::lint {

struct PluginOptions {
  std::vector<std::string> assert_skips;                                   // assert_used.skips
  std::vector<std::string> tmp_dirs{"/tmp", "/var/tmp", "/dev/shm"};       // hardcoded_tmp_directory
  bool try_except_pass_typed = false;                                      // check_typed_exception
  bool try_except_continue_typed = false;
  // shell_injection (B602-B607, B609). Bandit replaces a section wholesale: a missing list is empty.
  std::vector<std::string> subprocess{"subprocess.Popen", "subprocess.call", "subprocess.check_call",
                                      "subprocess.check_output", "subprocess.run"};
  std::vector<std::string> shell{"os.system", "os.popen", "os.popen2", "os.popen3", "os.popen4",
                                 "popen2.popen2", "popen2.popen3", "popen2.popen4", "popen2.Popen3",
                                 "popen2.Popen4", "commands.getoutput", "commands.getstatusoutput",
                                 "subprocess.getoutput", "subprocess.getstatusoutput"};
  std::vector<std::string> no_shell{"os.execl", "os.execle", "os.execlp", "os.execlpe", "os.execv", "os.execve",
                                    "os.execvp", "os.execvpe", "os.spawnl", "os.spawnle", "os.spawnlp",
                                    "os.spawnlpe", "os.spawnv", "os.spawnve", "os.spawnvp", "os.spawnvpe",
                                    "os.startfile"};
  bool shell_section_has_shell = true;       // B609 needs both lists present
  bool shell_section_has_subprocess = true;
  std::vector<std::string> bad_protocol_versions{"PROTOCOL_SSLv2", "SSLv2_METHOD", "SSLv23_METHOD",
                                                 "PROTOCOL_SSLv3", "PROTOCOL_TLSv1", "SSLv3_METHOD",
                                                 "TLSv1_METHOD", "PROTOCOL_TLSv1_1", "TLSv1_1_METHOD"};
  int weak_key_dsa_high = 1024, weak_key_dsa_medium = 2048;
  int weak_key_rsa_high = 1024, weak_key_rsa_medium = 2048;
  int weak_key_ec_high = 160, weak_key_ec_medium = 224;
  std::vector<std::string> markup_names;     // markupsafe_xss.extend_markup_names
  std::vector<std::string> markup_allowed_calls;
};

struct LintOptions {
  CheckSet enabled = CheckSet().set();
  bool bandit_compat = false;  // Bandit 1.9.4's results exactly, quirks included
  bool ignore_nosec = false;   // --ignore-nosec
  int context_lines = 3;       // lines of code shown per issue (Bandit's -n)
  PluginOptions plugins;
  // Changes nothing reported, only the work: false runs every call check on every call instead of
  // ruling out first the calls none can report on (rules::call_may_report). Tests compare both.
  bool rule_out_calls = true;
};

}  // namespace moat::lint
