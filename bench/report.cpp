#include "report.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

namespace sgmm::bench {

namespace {

std::string format(const char* pattern, double value) {
  char text[64];
  std::snprintf(text, sizeof text, pattern, value);
  return text;
}

std::string shape_dims(const BenchShape& s) {
  std::ostringstream out;
  out << s.b << "×" << s.m << "×" << s.k << "×" << s.n;
  return out.str();
}

// A contender's number in a table: GFLOP/s, or for the call experiment
// microseconds per call (the best in a column is the fastest either way).
std::string speed_text(const ExperimentSpec& spec, const ContenderResult& r) {
  if (spec.per_call) return format("%.3f µs", r.timing.median_seconds * 1e6);
  return format("%.1f", r.gflops);
}

std::string column_cell(const ExperimentSpec& spec, const ShapeResult& shape,
                        const std::string& column) {
  if (const ContenderResult* best = best_in_column(shape, column)) {
    std::string cell = speed_text(spec, *best);
    bool several_variants = false;
    for (const ContenderResult& r : shape.contenders) {
      if (r.column == column && r.variant != best->variant) several_variants = true;
    }
    if (several_variants && !best->tag.empty()) cell += " (" + best->tag + ")";
    return cell;
  }
  for (const ContenderResult& r : shape.contenders) {
    if (r.column == column && r.outcome == Outcome::wrong) {
      return "**wrong** (err " + format("%.1e", r.max_relative_error) + ")";
    }
  }
  return "—";
}

std::string experiment_settings(const ExperimentSpec& spec) {
  std::ostringstream out;
  out << bench_dtype_name(spec.dtype) << ", " << direction_name(spec.direction)
      << (spec.weight_transposed
              ? " with weight = K^T, the transposed view of a row-major [b, n, k]"
              : "")
      << ", scale = " << spec.scale << ", " << spec.threads
      << (spec.threads == 1 ? " thread" : " threads") << ", "
      << (spec.cold_cache ? "cold cache (operands rotated through copies larger than the L3)"
                          : "warm cache");
  if (!spec.sgmm_kernel.empty()) out << ", sgmm kernel forced to " << spec.sgmm_kernel;
  return out.str();
}

std::string peak_label(const ExperimentSpec& spec) {
  return std::string(vector_isa_name(spec.peak_isa)) + " " +
         (spec.peak_precision == PeakPrecision::f32 ? "f32" : "f64") + " FMA peak";
}

// The notes under a table: why a column was skipped or flagged, with the shapes.
void write_notes(const ExperimentResult& experiment, std::ostringstream& md) {
  std::map<std::string, std::vector<std::string>> shapes_by_note;
  std::vector<std::string> order;
  for (const ShapeResult& shape : experiment.shapes) {
    for (const ContenderResult& r : shape.contenders) {
      if (r.outcome == Outcome::measured) continue;
      const std::string key = r.column + (r.tag.empty() ? "" : " (" + r.tag + ")") +
                              (r.outcome == Outcome::wrong ? ": WRONG RESULT, not timed: "
                                                           : ": skipped: ") +
                              r.note;
      if (shapes_by_note.find(key) == shapes_by_note.end()) order.push_back(key);
      shapes_by_note[key].push_back(shape.shape.name);
    }
  }
  for (const std::string& key : order) {
    md << "- " << key << " [";
    const std::vector<std::string>& names = shapes_by_note[key];
    if (names.size() == experiment.shapes.size()) {
      md << "all shapes";
    } else {
      for (size_t i = 0; i < names.size(); ++i) md << (i ? ", " : "") << names[i];
    }
    md << "]\n";
  }
}

void write_peer_table(const RunReport& report, const ExperimentResult& experiment,
                      std::ostringstream& md) {
  const std::vector<std::string> columns = experiment_columns(experiment);
  md << "| shape | b×m×k×n |";
  for (const std::string& column : columns) md << " " << column << " |";
  md << " best peer | sgmm / best peer | sgmm / best scaled peer | sgmm % of peak |\n|---|---|";
  for (size_t i = 0; i < columns.size(); ++i) md << "---:|";
  md << "---|---:|---:|---:|\n";
  for (const ShapeResult& shape : experiment.shapes) {
    md << "| " << shape.shape.name << " | " << shape_dims(shape.shape) << " |";
    for (const std::string& column : columns) {
      md << " " << column_cell(experiment.spec, shape, column) << " |";
    }
    const ContenderResult* sgmm = headline_sgmm(shape);
    const ContenderResult* peer = best_peer(shape);
    const ContenderResult* scaled_peer = best_scaled_peer(shape);
    md << " " << (peer ? peer->column + " " + speed_text(experiment.spec, *peer) : "—") << " |";
    md << " " << (sgmm && peer ? format("%.2f×", sgmm->gflops / peer->gflops) : "—") << " |";
    const bool scaled = sgmm != nullptr && scaled_peer != nullptr;
    md << " " << (scaled ? format("%.2f×", sgmm->gflops / scaled_peer->gflops) : "—") << " |";
    md << " "
       << (sgmm && experiment.peak_gflops > 0 && !experiment.spec.per_call
               ? format("%.0f%%", 100.0 * sgmm->gflops / experiment.peak_gflops)
               : "—")
       << " |\n";
  }
  (void)report;
}

void write_comparison_table(const ExperimentResult& experiment, std::ostringstream& md) {
  const std::vector<std::string> columns = experiment_columns(experiment);
  md << "| shape | b×m×k×n |";
  for (const std::string& column : columns) md << " " << column << " |";
  md << " sgmm, float32 forward, scale " << format("%g", kBenchScale)
     << ", automatic kernel (measured beside) | ratio, median of paired rounds (range) |";
  md << " sgmm % of " << peak_label(experiment.spec) << " |\n|---|---|";
  for (size_t i = 0; i < columns.size(); ++i) md << "---:|";
  md << "---:|---:|---:|\n";
  for (const ShapeResult& shape : experiment.shapes) {
    md << "| " << shape.shape.name << " | " << shape_dims(shape.shape) << " |";
    for (const std::string& column : columns) {
      md << " " << column_cell(experiment.spec, shape, column) << " |";
    }
    const ContenderResult* sgmm = headline_sgmm(shape);
    ShapeResult beside;
    beside.contenders = shape.baseline;
    const ContenderResult* base = headline_sgmm(beside);
    md << " " << (base ? format("%.1f", base->gflops) : "—") << " |";
    // The median of the paired rounds' ratios and their range; the ratio
    // of the two bests where no round paired them.
    if (shape.paired.rounds > 0) {
      md << " " << format("%.2f×", shape.paired.median) << " ("
         << format("%.2f", shape.paired.low) << "–" << format("%.2f", shape.paired.high) << ") |";
    } else {
      md << " " << (base && sgmm ? format("%.2f×", sgmm->gflops / base->gflops) : "—") << " |";
    }
    md << " "
       << (sgmm && experiment.peak_gflops > 0
               ? format("%.0f%%", 100.0 * sgmm->gflops / experiment.peak_gflops)
               : "—")
       << " |\n";
  }
}

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string json_number(double value) {
  if (!std::isfinite(value)) return "null";
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

const char* outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::measured: return "measured";
    case Outcome::wrong: return "wrong";
    case Outcome::skipped: return "skipped";
  }
  return "?";
}

}  // namespace

std::string render_markdown(const RunReport& report) {
  std::ostringstream md;
  md << "# sgmm benchmark" << (report.quick ? " (quick)" : "") << "\n\n";
  md << "- Date: " << report.date_utc << "\n";
  md << "- Machine: " << report.cpu << ", " << report.hardware_threads << " hardware threads\n";
  if (report.load_at_start >= 0) {
    md << "- Load average (1 min) at start and end: " << format("%.2f", report.load_at_start)
       << ", " << format("%.2f", report.load_at_end)
       << " (the benchmark itself adds up to its thread count; beyond that, other work shared "
          "the cores, and the small multithreaded measurements suffer most)\n";
  }
  md << "- sgmm " << report.sgmm_version << ", kernel chosen: " << report.sgmm_kernel << "\n";
  md << "- Command: `" << report.command_line << "`\n";
  md << "- GFLOP/s = 2·b·m·n·k (twice that for backward) / median time of a call, the best of "
        "3 rounds interleaved with the other contenders' (about "
     << report.target_seconds
     << " s in all per contender); every result is checked against a float64 reference on "
        "sampled elements first, and a wrong one is flagged, not timed.\n";
  md << "- Headline sgmm number: the public API (`scaled_grouped_mm_out`) when built, else "
        "the driver (`sgmm::cpu::gemm`). Best peer: the fastest peer, libxsmm without its scale "
        "counted although it does less work; best scaled peer: the fastest that computes the "
        "same result as sgmm, the scale included.\n\n";

  md << "## Peers\n\n";
  for (const PeerStatus& peer : report.peers) {
    md << "- " << peer.name << ": " << (peer.built ? "measured" : "not built, skipped") << " ("
       << peer.detail << ")\n";
  }

  md << "\n## Machine peak (independent FMA chains on full vector registers)\n\n"
        "Measured at the start and at the end of the run; the higher of the two.\n\n";
  md << "| ISA | precision |";
  for (int threads : report.peak_threads) {
    md << " " << threads << (threads == 1 ? " thread" : " threads") << " |";
  }
  md << "\n|---|---|";
  for (size_t i = 0; i < report.peak_threads.size(); ++i) md << "---:|";
  md << "\n";
  for (VectorIsa isa : {VectorIsa::avx512, VectorIsa::avx2}) {
    for (PeakPrecision precision : {PeakPrecision::f32, PeakPrecision::f64}) {
      md << "| " << vector_isa_name(isa) << " | "
         << (precision == PeakPrecision::f32 ? "f32" : "f64") << " |";
      for (int threads : report.peak_threads) {
        const double gflops = report.peaks.get(isa, precision, threads);
        md << " " << (gflops > 0 ? format("%.1f GFLOP/s", gflops) : "not supported") << " |";
      }
      md << "\n";
    }
  }

  for (const ExperimentResult& experiment : report.experiments) {
    md << "\n## " << experiment.spec.title << "\n\n";
    if (experiment.spec.per_call) {
      md << experiment_settings(experiment.spec)
         << "; microseconds per call (median), lower is better; the ratios are the peer's time "
            "over sgmm's.\n\n";
    } else {
      md << experiment_settings(experiment.spec) << "; GFLOP/s; % of the "
         << experiment.spec.threads << "-thread " << peak_label(experiment.spec) << " ("
         << format("%.1f", experiment.peak_gflops) << " GFLOP/s).\n\n";
    }
    if (experiment.spec.sgmm_only) {
      write_comparison_table(experiment, md);
    } else {
      write_peer_table(report, experiment, md);
    }
    std::ostringstream notes;
    write_notes(experiment, notes);
    if (!notes.str().empty()) md << "\n" << notes.str();
  }
  return md.str();
}

std::string render_json(const RunReport& report) {
  std::ostringstream js;
  js << "{\n  \"command_line\": " << json_string(report.command_line)
     << ",\n  \"date_utc\": " << json_string(report.date_utc)
     << ",\n  \"quick\": " << (report.quick ? "true" : "false")
     << ",\n  \"machine\": {\"cpu\": " << json_string(report.cpu)
     << ", \"hardware_threads\": " << report.hardware_threads
     << ", \"load_average_at_start\": " << json_number(report.load_at_start)
     << ", \"load_average_at_end\": " << json_number(report.load_at_end) << "},\n  \"sgmm\": {\"version\": "
     << json_string(report.sgmm_version) << ", \"kernel\": " << json_string(report.sgmm_kernel)
     << ", \"dispatch_reasons\": [";
  for (size_t i = 0; i < report.sgmm_dispatch_reasons.size(); ++i) {
    js << (i ? ", " : "") << json_string(report.sgmm_dispatch_reasons[i]);
  }
  js << "]},\n  \"target_seconds_per_measurement\": " << json_number(report.target_seconds)
     << ",\n  \"peers\": [";
  for (size_t i = 0; i < report.peers.size(); ++i) {
    const PeerStatus& peer = report.peers[i];
    js << (i ? ", " : "") << "{\"name\": " << json_string(peer.name)
       << ", \"built\": " << (peer.built ? "true" : "false")
       << ", \"detail\": " << json_string(peer.detail) << "}";
  }
  js << "],\n  \"peak_gflops\": [";
  bool first = true;
  for (const PeakEntry& entry : report.peaks.entries) {
    js << (first ? "" : ", ") << "{\"isa\": \"" << vector_isa_name(entry.isa)
       << "\", \"precision\": \"" << (entry.precision == PeakPrecision::f32 ? "f32" : "f64")
       << "\", \"threads\": " << entry.threads << ", \"gflops\": " << json_number(entry.gflops)
       << "}";
    first = false;
  }
  js << "],\n  \"experiments\": [";
  for (size_t e = 0; e < report.experiments.size(); ++e) {
    const ExperimentResult& experiment = report.experiments[e];
    const ExperimentSpec& spec = experiment.spec;
    js << (e ? "," : "") << "\n    {\"id\": " << json_string(spec.id)
       << ", \"title\": " << json_string(spec.title) << ", \"dtype\": \""
       << bench_dtype_name(spec.dtype) << "\", \"direction\": \"" << direction_name(spec.direction)
       << "\", \"scale\": " << json_number(spec.scale) << ", \"threads\": " << spec.threads
       << ", \"weight_transposed\": " << (spec.weight_transposed ? "true" : "false")
       << ", \"cold_cache\": " << (spec.cold_cache ? "true" : "false")
       << ", \"per_call\": " << (spec.per_call ? "true" : "false")
       << ", \"sgmm_kernel\": " << json_string(spec.sgmm_kernel.empty() ? "auto" : spec.sgmm_kernel)
       << ", \"peak\": " << json_string(peak_label(spec))
       << ", \"peak_gflops\": " << json_number(experiment.peak_gflops) << ",\n     \"shapes\": [";
    for (size_t s = 0; s < experiment.shapes.size(); ++s) {
      const ShapeResult& shape = experiment.shapes[s];
      const ContenderResult* sgmm = headline_sgmm(shape);
      const ContenderResult* peer = best_peer(shape);
      const ContenderResult* scaled_peer = best_scaled_peer(shape);
      ShapeResult beside;
      beside.contenders = shape.baseline;
      const ContenderResult* base = headline_sgmm(beside);
      js << (s ? "," : "") << "\n      {\"shape\": " << json_string(shape.shape.name)
         << ", \"b\": " << shape.shape.b << ", \"m\": " << shape.shape.m
         << ", \"k\": " << shape.shape.k << ", \"n\": " << shape.shape.n
         << ", \"sgmm_gflops\": " << (sgmm ? json_number(sgmm->gflops) : "null")
         << ", \"best_peer\": " << (peer ? json_string(peer->column) : "null")
         << ", \"best_peer_gflops\": " << (peer ? json_number(peer->gflops) : "null")
         << ", \"ratio_sgmm_to_best_peer\": "
         << (sgmm && peer ? json_number(sgmm->gflops / peer->gflops) : "null")
         << ", \"best_scaled_peer\": " << (scaled_peer ? json_string(scaled_peer->column) : "null")
         << ", \"ratio_sgmm_to_best_scaled_peer\": "
         << (sgmm && scaled_peer ? json_number(sgmm->gflops / scaled_peer->gflops) : "null")
         << ", \"sgmm_percent_of_peak\": "
         << (sgmm && experiment.peak_gflops > 0
                 ? json_number(100.0 * sgmm->gflops / experiment.peak_gflops)
                 : "null");
      if (base != nullptr) {
        js << ", \"sgmm_default_setting_gflops\": " << json_number(base->gflops)
           << ", \"ratio_to_default_setting\": "
           << (sgmm ? json_number(sgmm->gflops / base->gflops) : "null");
      }
      if (shape.paired.rounds > 0) {
        js << ", \"paired_rounds\": " << shape.paired.rounds
           << ", \"paired_ratio_median\": " << json_number(shape.paired.median)
           << ", \"paired_ratio_low\": " << json_number(shape.paired.low)
           << ", \"paired_ratio_high\": " << json_number(shape.paired.high);
      }
      js << ",\n       \"results\": [";
      for (size_t c = 0; c < shape.contenders.size(); ++c) {
        const ContenderResult& r = shape.contenders[c];
        js << (c ? "," : "") << "\n         {\"column\": " << json_string(r.column)
           << ", \"variant\": " << json_string(r.variant)
           << ", \"outcome\": \"" << outcome_name(r.outcome) << "\"";
        if (!r.note.empty()) js << ", \"note\": " << json_string(r.note);
        if (r.outcome != Outcome::skipped) {
          js << ", \"max_relative_error\": " << json_number(r.max_relative_error)
             << ", \"tolerance\": " << json_number(r.tolerance);
        }
        if (r.outcome == Outcome::measured) {
          js << ", \"gflops\": " << json_number(r.gflops)
             << ", \"median_seconds\": " << json_number(r.timing.median_seconds)
             << ", \"min_seconds\": " << json_number(r.timing.min_seconds)
             << ", \"samples\": " << r.timing.samples
             << ", \"calls_per_sample\": " << r.timing.calls_per_sample;
        }
        js << "}";
      }
      js << "]}";
    }
    js << "]}";
  }
  js << "\n  ]\n}\n";
  return js.str();
}

std::string render_svg_chart(const RunReport& report, const std::string& path) {
  if (report.experiments.empty()) return "no experiment to draw";
  if (std::system("command -v gnuplot > /dev/null 2>&1") != 0) {
    return "gnuplot is not installed (apt-get install gnuplot-nox); chart skipped";
  }
  const ExperimentResult& experiment = report.experiments.front();
  // The chart shows what a user gets: the public API column stands for sgmm
  // when it exists, so the driver column is left out to keep bars readable.
  std::vector<std::string> columns;
  bool has_api = false;
  for (const ShapeResult& shape : experiment.shapes) {
    if (best_in_column(shape, "sgmm") != nullptr) has_api = true;
  }
  for (const std::string& column : experiment_columns(experiment)) {
    if (column == "sgmm gemm" && has_api) continue;
    bool any_measured = false;
    for (const ShapeResult& shape : experiment.shapes) {
      if (best_in_column(shape, column) != nullptr) any_measured = true;
    }
    if (any_measured) columns.push_back(column);
  }
  std::ostringstream script;
  script << "set terminal svg size 1100,600 dynamic font 'sans,12' background rgb 'white'\n"
         << "set output '" << path << "'\n"
         << "set title \"" << experiment.spec.title << " (" << report.cpu << ")\" noenhanced\n"
         << "set style data histogram\nset style histogram cluster gap 1\n"
         << "set style fill solid 0.85 border -1\nset boxwidth 0.9\n"
         << "set logscale y\nset ylabel 'GFLOP/s (log scale, higher is better)'\n"
         << "set grid ytics\nset key outside right top noenhanced\n"
         << "set datafile missing 'NaN'\nset xtics noenhanced\n";
  if (experiment.peak_gflops > 0) {
    script << "set arrow from graph 0, first " << experiment.peak_gflops << " to graph 1, first "
           << experiment.peak_gflops << " nohead dashtype 2 lc rgb 'gray40'\n"
           << "set label 'FMA peak " << format("%.0f", experiment.peak_gflops)
           << " GFLOP/s' at graph 0.01, first " << experiment.peak_gflops * 1.08
           << " textcolor rgb 'gray40'\n";
  }
  script << "$data << EOD\nshape";
  for (const std::string& column : columns) script << " \"" << column << "\"";
  script << "\n";
  for (const ShapeResult& shape : experiment.shapes) {
    script << shape.shape.name;
    for (const std::string& column : columns) {
      const ContenderResult* best = best_in_column(shape, column);
      script << " " << (best ? format("%.3f", best->gflops) : std::string("NaN"));
    }
    script << "\n";
  }
  script << "EOD\nplot for [i=2:" << columns.size() + 1
         << "] $data using i:xtic(1) title columnheader(i)\n";
  FILE* gnuplot = popen("gnuplot", "w");
  if (gnuplot == nullptr) return "could not start gnuplot; chart skipped";
  const std::string text = script.str();
  std::fwrite(text.data(), 1, text.size(), gnuplot);
  const int status = pclose(gnuplot);
  if (status != 0) return "gnuplot failed (exit status " + std::to_string(status) + ")";
  return {};
}

}  // namespace sgmm::bench
