import { useEffect, useRef } from "react";
import {
  CandlestickSeries,
  ColorType,
  HistogramSeries,
  createChart,
  type IChartApi,
  type UTCTimestamp,
} from "lightweight-charts";
import { chartColors } from "@/lib/theme";
import type { Bar } from "../types";

interface CandlestickChartProps {
  bars: Bar[];
  label: string;
}

function toTime(t: string): UTCTimestamp {
  return Math.floor(Date.parse(t) / 1000) as UTCTimestamp;
}

/**
 * OHLC candles with volume, drawn by TradingView Lightweight Charts.
 * The library's own attribution logo injects an inline <style> (blocked by our CSP),
 * so it is off and the attribution link is rendered below the chart instead.
 */
export function CandlestickChart({ bars, label }: CandlestickChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chartRef = useRef<IChartApi | null>(null);
  const seriesRef = useRef<{ candles: ReturnType<IChartApi["addSeries"]>; volume: ReturnType<IChartApi["addSeries"]> } | null>(null);

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
      grid: { vertLines: { color: colors.grid }, horzLines: { color: colors.grid } },
      rightPriceScale: { borderColor: colors.grid },
      timeScale: { borderColor: colors.grid, timeVisible: true },
    });
    const candles = chart.addSeries(CandlestickSeries, {
      upColor: colors.gain,
      downColor: colors.loss,
      borderUpColor: colors.gain,
      borderDownColor: colors.loss,
      wickUpColor: colors.gain,
      wickDownColor: colors.loss,
    });
    const volume = chart.addSeries(HistogramSeries, { priceScaleId: "volume", priceFormat: { type: "volume" } });
    chart.priceScale("volume").applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    chartRef.current = chart;
    seriesRef.current = { candles, volume };
    return () => {
      chart.remove();
      chartRef.current = null;
      seriesRef.current = null;
    };
  }, []);

  useEffect(() => {
    const series = seriesRef.current;
    if (!series) return;
    const colors = chartColors();
    const sorted = [...bars].sort((a, b) => Date.parse(a.t) - Date.parse(b.t));
    // Chart coordinates only: floats are fine for drawing, never for balances.
    series.candles.setData(
      sorted.map((b) => ({ time: toTime(b.t), open: Number(b.o), high: Number(b.h), low: Number(b.l), close: Number(b.c) })),
    );
    series.volume.setData(
      sorted.map((b) => ({
        time: toTime(b.t),
        value: Number(b.v),
        color: Number(b.c) >= Number(b.o) ? `${colors.gain}55` : `${colors.loss}55`,
      })),
    );
    chartRef.current?.timeScale().fitContent();
  }, [bars]);

  return (
    <figure className="chart chart--candles">
      <div ref={container} className="chart__canvas" role="img" aria-label={label} />
      <figcaption className="chart__credit">
        Charts by{" "}
        <a href="https://www.tradingview.com/" rel="noopener noreferrer" target="_blank">
          TradingView Lightweight Charts™
        </a>
        , © TradingView, Inc.
      </figcaption>
    </figure>
  );
}
