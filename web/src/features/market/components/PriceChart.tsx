import { useEffect, useRef } from "react";
import {
  AreaSeries,
  CandlestickSeries,
  ColorType,
  HistogramSeries,
  createChart,
  type IChartApi,
  type ISeriesApi,
  type SeriesType,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import { formatDate, formatDateTime, tickDigits, tickSize } from "@/lib/format";
import { chartColors } from "@/lib/theme";
import type { Bar } from "../types";

export type ChartStyle = "line" | "candles";

interface PriceChartProps {
  bars: Bar[];
  style: ChartStyle;
  /** Bars shorter than a day: label the axis with times. */
  intraday: boolean;
  label: string;
}

function toTime(t: string): UTCTimestamp {
  return Math.floor(Date.parse(t) / 1000) as UTCTimestamp;
}

const asDate = (t: Time) => new Date((t as number) * 1000);

/**
 * Price as a line (area) or candlesticks, with volume bars underneath, drawn by
 * TradingView Lightweight Charts in the viewer's time zone. The library's own
 * attribution logo injects an inline <style> (blocked by our CSP), so it is off
 * and the attribution link is rendered below the chart instead.
 */
export function PriceChart({ bars, style, intraday, label }: PriceChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chartRef = useRef<IChartApi | null>(null);
  const seriesRef = useRef<{ price: ISeriesApi<SeriesType>; volume: ISeriesApi<"Histogram"> } | null>(null);

  useEffect(() => {
    if (!container.current) return;
    const colors = chartColors();
    const chart = createChart(container.current, {
      autoSize: true,
      layout: {
        attributionLogo: false,
        background: { type: ColorType.Solid, color: "transparent" },
        textColor: colors.text,
        fontFamily: "inherit",
      },
      localization: { timeFormatter: (t: Time) => (intraday ? formatDateTime(asDate(t)) : formatDate(asDate(t))) },
      grid: { vertLines: { color: colors.grid }, horzLines: { color: colors.grid } },
      rightPriceScale: { borderColor: colors.grid, scaleMargins: { top: 0.08, bottom: 0.25 } },
      // Fixed edges: the whole history is fitted, and the library keeps a label at a fixed
      // edge inside the axis (centred on the first bar, the first date was cut in half).
      timeScale: {
        borderColor: colors.grid,
        timeVisible: intraday,
        secondsVisible: false,
        fixLeftEdge: true,
        fixRightEdge: true,
      },
    });
    const price =
      style === "candles"
        ? chart.addSeries(CandlestickSeries, {
            upColor: colors.gain,
            downColor: colors.loss,
            borderUpColor: colors.gain,
            borderDownColor: colors.loss,
            wickUpColor: colors.gain,
            wickDownColor: colors.loss,
          })
        : chart.addSeries(AreaSeries, {
            lineColor: colors.accent,
            topColor: `${colors.accent}44`,
            bottomColor: `${colors.accent}05`,
            lineWidth: 2,
          });
    const volume = chart.addSeries(HistogramSeries, { priceScaleId: "volume", priceFormat: { type: "volume" } });
    chart.priceScale("volume").applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    chartRef.current = chart;
    seriesRef.current = { price, volume };
    return () => {
      chart.remove();
      chartRef.current = null;
      seriesRef.current = null;
    };
  }, [style, intraday]);

  useEffect(() => {
    const series = seriesRef.current;
    if (!series) return;
    const colors = chartColors();
    const sorted = [...bars].sort((a, b) => Date.parse(a.t) - Date.parse(b.t));
    const latest = sorted.length ? sorted[sorted.length - 1]!.c : null;
    // The price scale at the instrument's tick size (cents at $1 and above).
    series.price.applyOptions({
      priceFormat: { type: "price", precision: tickDigits(latest), minMove: Number(tickSize(latest)) },
    });
    // Chart coordinates only: floats are fine for drawing, never for balances.
    if (style === "candles") {
      series.price.setData(
        sorted.map((b) => ({ time: toTime(b.t), open: Number(b.o), high: Number(b.h), low: Number(b.l), close: Number(b.c) })),
      );
    } else {
      series.price.setData(sorted.map((b) => ({ time: toTime(b.t), value: Number(b.c) })));
    }
    series.volume.setData(
      sorted.map((b) => ({
        time: toTime(b.t),
        value: b.v,
        color: Number(b.c) >= Number(b.o) ? `${colors.gain}66` : `${colors.loss}66`,
      })),
    );
    chartRef.current?.timeScale().fitContent();
  }, [bars, style, intraday]);

  return (
    <figure className="chart chart--price">
      <div ref={container} className="chart__canvas" role="img" aria-label={label} />
      <figcaption className="chart__credit">
        Volume under the price. Charts by{" "}
        <a href="https://www.tradingview.com/" rel="noopener noreferrer" target="_blank">
          TradingView Lightweight Charts™
        </a>
        , © TradingView, Inc.
      </figcaption>
    </figure>
  );
}
