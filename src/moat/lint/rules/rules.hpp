#pragma once
// The check functions, one per rule file (a family sharing one analysis shares a file). Each takes
// the Checker positioned on the node kind it handles; linter.cpp calls them from the single
// traversal, guarded by whether the check is enabled.
#include "moat/lint/checker.hpp"

namespace moat::lint::rules {

using python::NodeList;

// Call nodes, in Bandit's plugin order.
void flask_debug_true(Checker& checker);                 // B201
void request_with_no_cert_validation(Checker& checker);  // B501
void request_without_timeout(Checker& checker);          // B113
void exec_used(Checker& checker);                        // B102
void set_bad_file_permissions(Checker& checker);         // B103
void hardcoded_password_funcarg(Checker& checker);       // B106
void paramiko_calls(Checker& checker);                   // B601
void shell_injection(Checker& checker);                  // B602-B607
void hashlib_insecure_functions(Checker& checker);       // B324
void linux_commands_wildcard_injection(Checker& checker);  // B609
void django_extra_used(Checker& checker);                // B610
void django_rawsql_used(Checker& checker);               // B611
void ssl_with_bad_version(Checker& checker);             // B502
void ssl_with_no_version(Checker& checker);              // B504
void jinja2_autoescape_false(Checker& checker);          // B701
void use_of_mako_templates(Checker& checker);            // B702
void django_mark_safe(Checker& checker);                 // B703
void weak_cryptographic_key(Checker& checker);           // B505
void yaml_load(Checker& checker);                        // B506
void ssh_no_host_key_verification(Checker& checker);     // B507
void snmp_security(Checker& checker);                    // B508, B509
void tarfile_unsafe_members(Checker& checker);           // B202
void logging_config_insecure_listen(Checker& checker);   // B612
void pytorch_load(Checker& checker);                     // B614
void markupsafe_markup_xss(Checker& checker);            // B704
void huggingface_unsafe_download(Checker& checker);      // B615
void blacklist_calls(Checker& checker);                  // B301-B323 and B4xx on calls

/// False for a call none of the checks above can report on (call_triggers.cpp): no keyword
/// argument and a name none of them looks at. Nine calls in ten in real code.
bool call_may_report(const Checker& checker);
bool call_may_be_blacklisted(const Checker& checker);  // blacklist_calls could match it

// Import and ImportFrom nodes.
void blacklist_imports(Checker& checker);  // B401-B415

// String constants (not docstrings): the checker's node is the Constant.
void hardcoded_bind_all_interfaces(Checker& checker);  // B104
void hardcoded_password_string(Checker& checker);      // B105
void hardcoded_tmp_directory(Checker& checker);        // B108
void hardcoded_sql_expressions(Checker& checker);      // B608

void assert_used(Checker& checker);                  // B101, Assert
void try_except(Checker& checker);                   // B110, B112, ExceptHandler
void hardcoded_password_default(Checker& checker);   // B107, FunctionDef
void ssl_with_bad_defaults(Checker& checker);        // B503, FunctionDef

/// B613 on the whole file: the raw decoded text.
void trojansource(Checker& checker, std::string_view text);

/// Helpers shared by several rule files.
bool is_str_constant(const py::Expr* expr);
std::string_view str_value(const py::Expr& expr);  // the text of a str Constant
bool contains(const std::vector<std::string>& list, std::string_view value);
std::vector<std::string_view> split_dots(std::string_view qualname);
bool has_segment(std::string_view qualname, std::string_view segment);
bool is_httpx_attribute(std::string_view name);
bool is_requests_verb_call(std::string_view qualname, std::string_view name);

}  // namespace moat::lint::rules
