import { PageHeader } from "@/components/ui/PageHeader";
import { BacktestWorkspace } from "@/features/backtest/components/BacktestWorkspace";
import { useActivePortfolio } from "@/features/portfolios/hooks/ActivePortfolio";

export default function BacktestPage() {
  const { portfolios, active } = useActivePortfolio();
  // The active portfolio first: "Run live" offers it by default.
  const list = portfolios.data ?? [];
  const choices = [...list.filter((p) => p.id === active?.id), ...list.filter((p) => p.id !== active?.id)].map((p) => ({
    id: p.id,
    name: p.name,
  }));
  return (
    <>
      <PageHeader title="Backtest">
        <p className="muted">
          Run a built-in strategy over past prices with the same fill rules as your paper trades, sweep its parameters, and
          check them out of sample before running it live.
        </p>
      </PageHeader>
      <BacktestWorkspace portfolios={choices} />
    </>
  );
}
