// Many independent runs at once, shared by `consim swarm` and `consim
// sweep`: a loop that hands indices to worker threads, and a private
// temporary directory for the runs' traces.
//
// Invariants: work(i) is called exactly once for each i in [0, count)
// unless a call throws, which stops handing out indices; the first
// exception is rethrown once every thread has ended. done(i), if given, is
// called on the calling thread in index order, each as soon as work(i) and
// every earlier one are finished, so what it prints does not depend on the
// number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace consim::cli {

void run_in_parallel(std::uint64_t count, unsigned jobs,
                     const std::function<void(std::uint64_t)>& work,
                     const std::function<void(std::uint64_t)>& done = {});

// A private directory (mkdtemp under the system's temporary directory),
// removed with everything in it when the object goes.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace consim::cli
