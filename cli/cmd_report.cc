// `consim report DIR [--out FILE]`: one self-contained HTML page for a run,
// comparison or sweep folder (docs/report-html.md). This command is a thin
// launcher: it checks that DIR is one of those folders, finds a Python 3
// with matplotlib (as scripts/find-python.sh does) and the chart scripts
// (analysis/plots), and runs analysis/plots/html_report.py, which draws
// the charts with the existing chart scripts and writes the page.
//
// Invariants: a bad DIR is reported here, before Python starts, naming the
// path (exit 3); the page is written by the script to a temporary name and
// renamed, so FILE is complete or untouched; the script's exit code is
// passed on (0 ok, 3 bad input, 4 usage, 5 cannot write), a script killed
// by a signal is exit 70. The chart scripts are found, in this order, in
// $CONSIM_PLOTS_DIR, beside the executable as installed
// (<prefix>/bin/consim -> <prefix>/share/consim/plots), and in the source
// tree the executable was built from (CONSIM_PLOTS_SOURCE_DIR), so a built
// or installed consim works from any working directory.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/exit_codes.h"

extern char** environ;

namespace consim::cli {
namespace {

namespace fs = std::filesystem;

constexpr int kExitMissingTool = 1;  // no Python with matplotlib, or no chart scripts
constexpr const char* kScript = "html_report.py";

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "consim report: %s\n", message.c_str());
  return code;
}

// Runs argv (argv[0] looked up on PATH), its output to /dev/null when
// `quiet`; the exit status, or -1 if it could not start or was killed.
int run_program(const std::vector<std::string>& args, bool quiet) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (quiet) {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  }
  std::fflush(nullptr);
  pid_t pid = 0;
  const int error = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The first of $CONSIM_PYTHON, python3, /usr/bin/python3 that imports
// matplotlib (the python3 on PATH may be a separate installation that does
// not see Debian's python3-matplotlib).
std::optional<std::string> find_python() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("CONSIM_PYTHON"); env != nullptr && *env != '\0')
    candidates.emplace_back(env);
  candidates.emplace_back("python3");
  candidates.emplace_back("/usr/bin/python3");
  for (const auto& py : candidates)
    if (run_program({py, "-c", "import matplotlib"}, true) == 0) return py;
  return std::nullopt;
}

// The folder holding html_report.py, or nullopt; `tried` lists the places.
// $CONSIM_PLOTS_DIR, when set, is the only place: a wrong setting is an
// error, never silently replaced by another copy of the scripts.
std::optional<fs::path> find_plots(std::string& tried) {
  std::vector<fs::path> candidates;
  std::error_code ec;
  if (const char* env = std::getenv("CONSIM_PLOTS_DIR"); env != nullptr && *env != '\0') {
    tried = std::string(env) + " ($CONSIM_PLOTS_DIR)";
    if (fs::is_regular_file(fs::path(env) / kScript, ec)) return fs::path(env);
    return std::nullopt;
  }
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) candidates.push_back(exe.parent_path().parent_path() / "share" / "consim" / "plots");
#ifdef CONSIM_PLOTS_SOURCE_DIR
  candidates.emplace_back(CONSIM_PLOTS_SOURCE_DIR);
#endif
  for (const auto& dir : candidates) {
    tried += (tried.empty() ? "" : ", ") + dir.string();
    if (fs::is_regular_file(dir / kScript, ec)) return dir;
  }
  return std::nullopt;
}

// Empty if `dir` is a run, comparison or sweep folder whose main file can
// be opened, else the message naming the path.
std::string check_folder(const std::string& dir) {
  std::error_code ec;
  const fs::file_status status = fs::status(dir, ec);
  if (!fs::exists(status)) return dir + ": no such folder";
  if (!fs::is_directory(status))
    return dir + ": not a folder (give the folder that consim run, compare or sweep wrote)";
  for (const char* name : {"sweep.json", "comparison.json", "report.json"}) {
    const fs::path file = fs::path(dir) / name;
    if (!fs::exists(file, ec)) continue;
    std::FILE* f = std::fopen(file.c_str(), "r");
    if (f == nullptr) return file.string() + ": cannot read it";
    std::fclose(f);
    return {};
  }
  if (fs::exists(fs::path(dir) / "trace.jsonl", ec))
    return (fs::path(dir) / "report.json").string() +
           ": no such file (the folder has a trace: consim analyze " +
           (fs::path(dir) / "trace.jsonl").string() + " writes it)";
  return dir +
         ": not a consim run, comparison or sweep folder (it has no report.json, "
         "comparison.json or sweep.json)";
}

}  // namespace

int report_command(const ReportOptions& options) {
  if (std::string problem = check_folder(options.dir); !problem.empty())
    return fail(kExitBadInput, problem);
  std::string tried;
  const std::optional<fs::path> plots = find_plots(tried);
  if (!plots)
    return fail(kExitMissingTool, std::string("cannot find the chart scripts (") + kScript +
                                      "); looked in: " + tried +
                                      ". Set CONSIM_PLOTS_DIR to consim's analysis/plots "
                                      "folder");
  const std::optional<std::string> python = find_python();
  if (!python)
    return fail(kExitMissingTool,
                "no Python 3 with matplotlib found (tried $CONSIM_PYTHON, python3, "
                "/usr/bin/python3): apt-get install python3-matplotlib, or set CONSIM_PYTHON");
  // A folder named like an option would be read as one by the script.
  const std::string dir = options.dir.starts_with("-") ? "./" + options.dir : options.dir;
  std::vector<std::string> args = {*python, (*plots / kScript).string(), dir, "--program",
                                   "consim report"};
  if (!options.out.empty()) {
    args.emplace_back("--out");
    args.push_back(options.out);
  }
  const int code = run_program(args, false);
  if (code < 0) return fail(kExitInternal, "the report script was killed or could not start");
  return code;
}

}  // namespace consim::cli
