package io.newslens.report;

import static io.newslens.report.Html.esc;
import static io.newslens.report.Html.num;
import static io.newslens.report.Html.percent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inline SVG charts drawn in Java: the page needs no script and no charting library, works
 * offline and cannot run anything. Each chart's marks carry a class (area, cell, spark, bar,
 * edge, node) so tests can count them; labels and tooltips ({@code <title>}) are escaped.
 */
final class Charts {
  private Charts() {}

  /** Tableau's 20 colours; past 20, hues spaced by the golden angle. */
  private static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
      "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#a0cbe8", "#ffbe7d", "#ff9d9a", "#86bcb6", "#8cd17d",
      "#f1ce63", "#d4a6c8", "#fabfd2", "#d7b5a6", "#79706e"};

  static String color(int index) {
    return index < PALETTE.length ? PALETTE[index]
        : String.format(java.util.Locale.ROOT, "hsl(%d,55%%,55%%)", Math.round(index * 137.508) % 360);
  }

  static String typeColor(String type) {
    return switch (type) {
      case "PERSON" -> "#4e79a7";
      case "LOCATION" -> "#59a14f";
      case "ORGANIZATION" -> "#e15759";
      default -> "#b07aa1";
    };
  }

  /** One series of a stacked or small-multiple chart. */
  record Series(String label, List<Double> values, String color) {}

  private static double x(int i, int n, double left, double width) {
    return n <= 1 ? left + width / 2 : left + width * i / (n - 1);
  }

  /** Period labels under the x axis, at most about eight of them. */
  private static void periodTicks(StringBuilder svg, List<String> periods, double left, double width, double y) {
    int n = periods.size();
    int step = Math.max(1, (int) Math.ceil(n / 8.0));
    for (int i = 0; i < n; i += step) {
      svg.append("<text class=\"tick\" x=\"").append(num(x(i, n, left, width))).append("\" y=\"").append(num(y))
          .append("\" text-anchor=\"middle\">").append(esc(periods.get(i))).append("</text>");
    }
  }

  /**
   * A stacked area chart of shares over periods, one {@code path.area} per series. With one
   * period the areas are drawn as one stacked bar.
   */
  static String stackedArea(List<String> periods, List<Series> series) {
    double w = 860, h = 280, left = 44, top = 10, plotW = w - left - 36, plotH = h - top - 34;
    int n = periods.size();
    double[] totals = new double[n];
    for (Series s : series) {
      for (int t = 0; t < n; t++) {
        totals[t] += value(s, t);
      }
    }
    double max = 0;
    for (double total : totals) {
      max = Math.max(max, total);
    }
    double scale = max <= 0 ? 1 : max;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg class=\"chart stacked-area\" viewBox=\"0 0 ").append(num(w)).append(' ').append(num(h))
        .append("\" role=\"img\" aria-label=\"topic shares over time\">");
    for (double g : new double[] {0, 0.5, 1}) {
      double y = top + plotH - plotH * g;
      svg.append("<line class=\"grid\" x1=\"").append(num(left)).append("\" x2=\"").append(num(left + plotW))
          .append("\" y1=\"").append(num(y)).append("\" y2=\"").append(num(y)).append("\"/>")
          .append("<text class=\"tick\" x=\"").append(num(left - 4)).append("\" y=\"").append(num(y + 4))
          .append("\" text-anchor=\"end\">").append(percent(g * scale)).append("</text>");
    }
    double[] below = new double[n];
    // One period: a bar as wide as the plot instead of a zero-width area.
    double[] xs = n == 1 ? new double[] {left, left + plotW} : null;
    for (Series s : series) {
      List<String> upper = new ArrayList<>();
      List<String> lower = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        double y0 = top + plotH - plotH * below[t] / scale;
        below[t] += value(s, t);
        double y1 = top + plotH - plotH * below[t] / scale;
        if (xs != null) {
          upper.add(num(xs[0]) + "," + num(y1));
          upper.add(num(xs[1]) + "," + num(y1));
          lower.add(0, num(xs[0]) + "," + num(y0));
          lower.add(0, num(xs[1]) + "," + num(y0));
        } else {
          double px = x(t, n, left, plotW);
          upper.add(num(px) + "," + num(y1));
          lower.add(0, num(px) + "," + num(y0));
        }
      }
      svg.append("<path class=\"area\" fill=\"").append(s.color()).append("\" d=\"M").append(String.join("L", upper))
          .append('L').append(String.join("L", lower)).append("Z\"><title>").append(esc(s.label()))
          .append("</title></path>");
    }
    periodTicks(svg, periods, left, plotW, h - 12);
    return svg.append("</svg>").toString();
  }

  /** At most {@code max} characters, cut before escaping so no entity is cut in half. */
  static String shorten(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  private static double value(Series s, int t) {
    Double v = t < s.values().size() ? s.values().get(t) : null;
    return v == null || v.isNaN() || v < 0 ? 0 : v;
  }

  /** Rows × periods, one {@code rect.cell} per value, darker for larger shares of its row's colour. */
  static String heatMap(List<String> periods, List<Series> rows) {
    int n = periods.size();
    double labelW = 200, cellH = 16, top = 4, plotW = 640;
    double cellW = n == 0 ? plotW : plotW / n;
    double h = top + rows.size() * cellH + 24;
    double max = 0;
    for (Series row : rows) {
      for (int t = 0; t < n; t++) {
        max = Math.max(max, value(row, t));
      }
    }
    StringBuilder svg = new StringBuilder();
    svg.append("<svg class=\"chart heatmap\" viewBox=\"0 0 ").append(num(labelW + plotW + 8)).append(' ')
        .append(num(h)).append("\" role=\"img\" aria-label=\"topic by period\">");
    for (int r = 0; r < rows.size(); r++) {
      Series row = rows.get(r);
      double y = top + r * cellH;
      svg.append("<text class=\"label\" x=\"").append(num(labelW - 6)).append("\" y=\"").append(num(y + cellH - 4))
          .append("\" text-anchor=\"end\">").append(esc(shorten(row.label(), 30))).append("<title>")
          .append(esc(row.label())).append("</title></text>");
      for (int t = 0; t < n; t++) {
        double v = value(row, t);
        svg.append("<rect class=\"cell\" x=\"").append(num(labelW + t * cellW)).append("\" y=\"").append(num(y))
            .append("\" width=\"").append(num(Math.max(cellW - 0.5, 0.5))).append("\" height=\"")
            .append(num(cellH - 1)).append("\" fill=\"").append(row.color()).append("\" fill-opacity=\"")
            .append(String.format(java.util.Locale.ROOT, "%.2f", max <= 0 ? 0 : 0.05 + 0.95 * v / max))
            .append("\"><title>").append(esc(periods.get(t))).append(": ").append(percent(v)).append("</title></rect>");
      }
    }
    periodTicks(svg, periods, labelW + cellW / 2, Math.max(plotW - cellW, 0), h - 6);
    return svg.append("</svg>").toString();
  }

  /** A small line of shares over the periods, bursts as red dots ({@code circle.burst}). */
  static String sparkline(String label, List<String> periods, List<Double> shares, List<Boolean> bursts) {
    double w = 160, h = 28, pad = 3;
    int n = periods.size();
    double max = 0;
    for (Double v : shares) {
      max = Math.max(max, v == null ? 0 : v);
    }
    double scale = max <= 0 ? 1 : max;
    StringBuilder points = new StringBuilder();
    for (int t = 0; t < n; t++) {
      double v = shares.get(t) == null ? 0 : shares.get(t);
      points.append(t == 0 ? "" : " ").append(num(x(t, n, pad, w - 2 * pad))).append(',')
          .append(num(h - pad - (h - 2 * pad) * v / scale));
    }
    StringBuilder svg = new StringBuilder();
    svg.append("<svg class=\"spark\" viewBox=\"0 0 ").append(num(w)).append(' ').append(num(h))
        .append("\" width=\"").append(num(w)).append("\" height=\"").append(num(h)).append("\"><title>")
        .append(esc(label)).append(": share of articles per period, peak ").append(percent(max)).append("</title>");
    if (n == 1) {
      points.append(' ').append(num(w - pad)).append(',').append(points.toString().split(",")[1]);
    }
    svg.append("<polyline class=\"line\" points=\"").append(points).append("\"/>");
    for (int t = 0; t < n; t++) {
      if (t < bursts.size() && Boolean.TRUE.equals(bursts.get(t))) {
        double v = shares.get(t) == null ? 0 : shares.get(t);
        svg.append("<circle class=\"burst\" r=\"2.5\" cx=\"").append(num(x(t, n, pad, w - 2 * pad))).append("\" cy=\"")
            .append(num(h - pad - (h - 2 * pad) * v / scale)).append("\"><title>burst in ").append(esc(periods.get(t)))
            .append("</title></circle>");
      }
    }
    return svg.append("</svg>").toString();
  }

  /** Vertical bars of counts per period ({@code rect.bar}). */
  static String bars(List<String> periods, List<Long> counts) {
    double w = 860, h = 150, left = 44, top = 8, plotW = w - left - 36, plotH = h - top - 30;
    int n = periods.size();
    long max = 1;
    for (Long c : counts) {
      max = Math.max(max, c == null ? 0 : c);
    }
    double barW = n == 0 ? plotW : plotW / n;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg class=\"chart bars\" viewBox=\"0 0 ").append(num(w)).append(' ').append(num(h))
        .append("\" role=\"img\" aria-label=\"kept articles per period\">")
        .append("<text class=\"tick\" x=\"").append(num(left - 4)).append("\" y=\"").append(num(top + 8))
        .append("\" text-anchor=\"end\">").append(Html.count(max)).append("</text>");
    for (int t = 0; t < n; t++) {
      long c = counts.get(t) == null ? 0 : counts.get(t);
      double bh = plotH * c / max;
      svg.append("<rect class=\"bar\" x=\"").append(num(left + t * barW)).append("\" y=\"")
          .append(num(top + plotH - bh)).append("\" width=\"").append(num(Math.max(barW - 1, 0.5)))
          .append("\" height=\"").append(num(bh)).append("\"><title>").append(esc(periods.get(t))).append(": ")
          .append(Html.count(c)).append(" articles</title></rect>");
    }
    periodTicks(svg, periods, left + barW / 2, Math.max(plotW - barW, 0), h - 8);
    return svg.append("</svg>").toString();
  }

  /**
   * The pairs as a network: entities on a circle (in order of first appearance in the ranked
   * list, so the layout is deterministic), one {@code line.edge} per pair, wider for larger LLR.
   */
  static String network(List<ReportData.Pair> pairs) {
    Map<String, String[]> nodes = new LinkedHashMap<>(); // key -> name, type
    for (ReportData.Pair p : pairs) {
      nodes.putIfAbsent(p.typeA() + "\u0000" + p.a(), new String[] {p.a(), p.typeA()});
      nodes.putIfAbsent(p.typeB() + "\u0000" + p.b(), new String[] {p.b(), p.typeB()});
    }
    double w = 860, h = 420, cx = w / 2, cy = h / 2, radius = 150;
    List<String> keys = new ArrayList<>(nodes.keySet());
    Map<String, double[]> at = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      double angle = 2 * Math.PI * i / keys.size() - Math.PI / 2;
      at.put(keys.get(i), new double[] {cx + radius * Math.cos(angle), cy + radius * Math.sin(angle), angle});
    }
    double maxLlr = pairs.stream().mapToDouble(ReportData.Pair::llr).max().orElse(1);
    StringBuilder svg = new StringBuilder();
    svg.append("<svg class=\"chart network\" viewBox=\"0 0 ").append(num(w)).append(' ').append(num(h))
        .append("\" role=\"img\" aria-label=\"entity pairs\">");
    for (ReportData.Pair p : pairs) {
      double[] a = at.get(p.typeA() + "\u0000" + p.a());
      double[] b = at.get(p.typeB() + "\u0000" + p.b());
      svg.append("<line class=\"edge\" x1=\"").append(num(a[0])).append("\" y1=\"").append(num(a[1]))
          .append("\" x2=\"").append(num(b[0])).append("\" y2=\"").append(num(b[1])).append("\" stroke-width=\"")
          .append(num(0.8 + 5 * (maxLlr <= 0 ? 0 : p.llr() / maxLlr))).append("\"><title>").append(esc(p.a()))
          .append(" – ").append(esc(p.b())).append(": LLR ").append(Html.decimal(p.llr(), 1)).append("</title></line>");
    }
    for (String key : keys) {
      double[] xy = at.get(key);
      String[] node = nodes.get(key);
      boolean right = Math.cos(xy[2]) >= 0;
      double lx = xy[0] + (right ? 8 : -8) * 1.0;
      svg.append("<circle class=\"node\" r=\"6\" cx=\"").append(num(xy[0])).append("\" cy=\"").append(num(xy[1]))
          .append("\" fill=\"").append(typeColor(node[1])).append("\"><title>").append(esc(node[0])).append(" (")
          .append(esc(node[1])).append(")</title></circle>")
          .append("<text class=\"label\" x=\"").append(num(lx)).append("\" y=\"").append(num(xy[1] + 4))
          .append("\" text-anchor=\"").append(right ? "start" : "end").append("\">").append(esc(node[0]))
          .append("</text>");
    }
    return svg.append("</svg>").toString();
  }
}
