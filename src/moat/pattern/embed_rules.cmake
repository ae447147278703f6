# Writes OUTPUT: a C++ table of the built-in rule files (name, YAML text) in RULE_DIR.
file(GLOB rule_files ${RULE_DIR}/*.yaml)
list(SORT rule_files)
set(entries "")
foreach(file IN LISTS rule_files)
  get_filename_component(name ${file} NAME)
  file(READ ${file} text)
  string(APPEND entries "    {\"${name}\", R\"moat_rule(${text})moat_rule\"},\n")
endforeach()
file(WRITE ${OUTPUT}.tmp
"// Generated from rules/*.yaml by src/moat/pattern/embed_rules.cmake; do not edit.
#include \"moat/pattern/builtin_rules.hpp\"

namespace moat::pattern {

std::span<const BuiltinRuleFile> builtin_rule_files() {
  static const BuiltinRuleFile kFiles[] = {
${entries}    {\"\", \"\"},
  };
  return {kFiles, sizeof(kFiles) / sizeof(kFiles[0]) - 1};
}

}  // namespace moat::pattern
")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
