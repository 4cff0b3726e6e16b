// The consim subcommands, one function each, called by main.cc after the
// command line is parsed. Each returns the process exit code (exit_codes.h)
// and throws InputError for bad input, which main maps to kExitBadInput.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace consim::cli {

struct RunOptions {
  std::string scenario;
  std::optional<std::uint64_t> seed;
  bool random_seed = false;
  std::optional<std::string> model;
  std::string out;  // empty: out/<scenario name>
  std::optional<std::string> trace_level;
  bool quiet = false;
};

struct CompareOptions {
  std::string scenario;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> models;  // empty: every registered model
  std::string out;
  std::optional<std::string> trace_level;
  bool quiet = false;
};

struct CheckOptions {
  std::string history;
  std::string consistency = "all";
  std::uint64_t budget = 0;  // 0: the default
  std::uint64_t causal_memory_mib = 0;  // 0: the causal checker's default (1024)
  bool json = false;
};

int run_command(const RunOptions& options);
int compare_command(const CompareOptions& options);
int validate_command(const std::string& scenario);
int list_command();
int analyze_command(const std::string& trace, const std::string& out);
int check_command(const CheckOptions& options);

}  // namespace consim::cli
