#pragma once
// The run's results as a markdown report, as JSON, and as an SVG chart
// (through gnuplot, when it is installed).

#include <string>
#include <vector>

#include "experiment.hpp"
#include "fma_peak.hpp"

namespace sgmm::bench {

struct PeerStatus {
  std::string name;
  bool built = false;
  std::string detail;  // what was found, or how to install it
};

struct RunReport {
  std::string command_line;
  std::string date_utc;
  std::string cpu;
  unsigned hardware_threads = 0;
  // /proc/loadavg's 1-minute figure when the run started and ended: how
  // much else was running on the machine, i.e. how far to trust the numbers.
  double load_at_start = -1;
  double load_at_end = -1;
  std::string sgmm_version;
  std::string sgmm_kernel;  // sgmm's automatic choice
  std::vector<std::string> sgmm_dispatch_reasons;
  bool quick = false;
  double target_seconds = 0;
  MachinePeaks peaks;
  std::vector<int> peak_threads;
  std::vector<PeerStatus> peers;
  std::vector<ExperimentResult> experiments;
};

std::string render_markdown(const RunReport& report);
std::string render_json(const RunReport& report);
// Draws GFLOP/s per shape per library of the first experiment into an SVG
// file. Returns an empty string on success, else a notice saying why not.
std::string render_svg_chart(const RunReport& report, const std::string& path);

}  // namespace sgmm::bench
