// Slurm job arrays for sweeps; see sweep_slurm.h.
#include "cli/sweep_slurm.h"

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/json_input.h"
#include "base/output_file.h"

namespace consim::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxTasks = 1000;

std::string quoted(const std::string& word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string absolute(const std::string& path) {
  return fs::absolute(path).lexically_normal().string();
}

// Runs a shell command; returns its exit status and what it printed.
int run_command(const std::string& command, std::string& output) {
  std::FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) throw OutputError("cannot start: " + command);
  char buf[512];
  while (std::fgets(buf, sizeof buf, pipe)) output += buf;
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string job_id(const std::string& parsable) {
  return parsable.substr(0, parsable.find_first_of(";\n"));
}

std::string sbatch(const std::vector<std::string>& args, const std::string& script, int& status) {
  std::string command = "sbatch --parsable";
  for (const auto& a : args) command += " " + quoted(a);
  std::string output;
  status = run_command(command + " " + quoted(script), output);
  if (status != 0)
    std::fprintf(stderr, "consim: sbatch failed (exit %d): %s", status, output.c_str());
  return job_id(output);
}

void write_script(const std::string& path, const std::string& text) {
  write_file_atomically(path, text);
  fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add);
}

}  // namespace

int submit_slurm(const SweepSpec& spec, const SweepPlan& plan,
                 const std::vector<std::size_t>& pending, const std::string& sweep_file,
                 const std::string& out, const SlurmOptions& o) {
  const fs::path dir = fs::path(out) / "slurm";
  fs::create_directories(dir);
  fs::create_directories(fs::path(out) / "runs");
  // Slurm's default MaxArraySize is 1001: larger chunks rather than more tasks.
  const std::size_t chunk = std::max(o.chunk, (pending.size() + kMaxTasks - 1) / kMaxTasks);
  nlohmann::json keys = nlohmann::json::array();
  for (std::size_t i : pending) keys.push_back(plan.runs[i].key);
  write_file_atomically((dir / "plan.json").string(),
                        nlohmann::json{{"chunk", chunk}, {"runs", keys}}.dump(1) + "\n");
  const std::size_t tasks = (pending.size() + chunk - 1) / chunk;
  const std::string consim = fs::read_symlink("/proc/self/exe").string();
  const std::string cwd = fs::current_path().string();
  const std::string common =
      quoted(consim) + " sweep " + quoted(sweep_file) + " --out " + quoted(out);
  const std::string log = absolute((dir / "task-%a.log").string());
  write_script((dir / "array.sh").string(),
               "#!/bin/sh\n#SBATCH --job-name=consim-sweep-" + spec.name + "\n#SBATCH --array=0-" +
                   std::to_string(tasks - 1) +
                   "\n#SBATCH --cpus-per-task=" + std::to_string(o.jobs) +
                   "\n#SBATCH --output=" + log + "\n#SBATCH --chdir=" + cwd + "\nexec " + common +
                   " --slurm-task \"$SLURM_ARRAY_TASK_ID\" -j " + std::to_string(o.jobs) + "\n");
  write_script((dir / "collect.sh").string(),
               "#!/bin/sh\n#SBATCH --job-name=consim-sweep-" + spec.name +
                   "-collect\n#SBATCH --output=" + absolute((dir / "collect.log").string()) +
                   "\n#SBATCH --chdir=" + cwd + "\nexec " + common + " --collect\n");
  std::vector<std::string> args = o.sbatch_args;
  if (o.wait) args.push_back("--wait");
  int status = 0;
  const std::string array = sbatch(args, absolute((dir / "array.sh").string()), status);
  if (status != 0) return status;
  std::printf("submitted job array %s: %zu tasks of up to %zu runs (%zu runs)\n", array.c_str(),
              tasks, chunk, pending.size());
  if (o.wait) return 0;
  args = o.sbatch_args;
  args.push_back("--dependency=afterany:" + array);
  const std::string collect = sbatch(args, absolute((dir / "collect.sh").string()), status);
  if (status != 0) return status;
  std::printf("submitted collect job %s: the tables appear in %s when it ends\n", collect.c_str(),
              out.c_str());
  return 0;
}

std::vector<std::size_t> slurm_task_runs(const SweepSpec& spec, const SweepPlan& plan,
                                         const std::string& out, std::size_t task) {
  const std::string path = (fs::path(out) / "slurm" / "plan.json").string();
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  const nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, false);
  if (!in || doc.is_discarded() || !doc.is_object() || !doc.contains("runs"))
    throw InputError(path, "$", "no Slurm plan here: submit the sweep with --slurm first");
  std::map<std::string, std::size_t> index;
  for (std::size_t i = plan.runs.size(); i-- > 0;) index[plan.runs[i].key] = i;
  const std::size_t chunk = doc.value("chunk", std::size_t{1});
  const auto& keys = doc["runs"];
  std::vector<std::size_t> runs;
  for (std::size_t k = task * chunk; k < keys.size() && k < (task + 1) * chunk; ++k) {
    auto it = index.find(keys[k].get<std::string>());
    if (it == index.end())
      throw InputError(spec.file, "$",
                       "this sweep has no run " + keys[k].get<std::string>() + " of " + path +
                           ": the sweep changed since it was submitted; submit it again");
    runs.push_back(it->second);
  }
  return runs;
}

}  // namespace consim::cli
