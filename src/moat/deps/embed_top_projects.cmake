# Writes OUTPUT: the ranked project names of INPUT (one per line, most downloaded first) as one
# string of PEP 503-normalized names joined by newlines, returned by moat::deps::embedded_top_projects().
file(READ ${INPUT} names)
string(TOLOWER "${names}" names)
string(REGEX REPLACE "[-_.]+" "-" names "${names}")
string(REGEX REPLACE "[ \t\r]+" "" names "${names}")
string(REGEX REPLACE "\n\n+" "\n" names "${names}")
file(WRITE ${OUTPUT}.tmp
"// Generated from data/pypi/top-projects.txt by src/moat/deps/embed_top_projects.cmake; do not edit.
#include \"moat/deps/typosquat.hpp\"

namespace moat::deps {

std::string_view embedded_top_projects() {
  static constexpr char kNames[] = R\"moat_names(${names})moat_names\";
  return {kNames, sizeof(kNames) - 1};
}

}  // namespace moat::deps
")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
