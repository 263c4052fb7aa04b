-- The write set of one filled one-share market order, as one PL/pgSQL function: the physical
-- limit of the order path on this machine (bench/bench_orders_http.py drives it with pgbench).
-- Same statements as invsim's placement: lock the portfolio, read its positions, open orders
-- and the symbol's lots, write the order, its three events, the fill, the cash entry, the
-- position, the cash balance and a tax lot (bought) or the oldest lot's removal (sold).
CREATE OR REPLACE FUNCTION bench_order_write_set(p_portfolio integer, p_symbol text,
                                                 p_buy boolean) RETURNS bigint AS $$
DECLARE
    gen integer;
    at_ timestamptz := now();
    qty_ bigint := 1000000;      -- 1 share (quantity scale 6)
    price_ bigint := 100000000;  -- $100 (price scale 6)
    gross_ bigint := 10000;      -- $100.00 (money scale 2)
    order_id_ bigint;
    fill_id_ bigint;
    side_ text := CASE WHEN p_buy THEN 'buy' ELSE 'sell' END;
BEGIN
    SELECT generation INTO gen FROM portfolios WHERE id = p_portfolio FOR UPDATE;
    PERFORM id, qty FROM positions WHERE portfolio_id = p_portfolio AND generation = gen;
    PERFORM id FROM orders WHERE portfolio_id = p_portfolio AND generation = gen
        AND status IN ('new', 'accepted', 'partially_filled', 'held');
    PERFORM id, qty FROM tax_lots WHERE portfolio_id = p_portfolio AND generation = gen
        AND symbol = p_symbol ORDER BY id;
    INSERT INTO orders (portfolio_id, generation, client_order_id, request_hash, source, symbol,
                        side, type, time_in_force, status, qty, stop_triggered, filled_qty,
                        filled_notional, commission, fill_count, filled_avg_price,
                        reference_price, order_class, created_at, updated_at, submitted_at,
                        filled_at)
    VALUES (p_portfolio, gen, md5(random()::text || clock_timestamp()::text), 'bench', 'user',
            p_symbol, side_, 'market', 'day', 'filled', qty_, false, qty_, gross_, 0, 1, price_,
            price_, 'simple', at_, at_, at_, at_)
    RETURNING id INTO order_id_;
    INSERT INTO order_events (order_id, status, at)
    VALUES (order_id_, 'new', at_), (order_id_, 'accepted', at_), (order_id_, 'filled', at_);
    INSERT INTO fills (order_id, sequence, portfolio_id, generation, symbol, side, qty, price,
                       gross, commission, realized_pl, price_source, priced_at, rule,
                       volume_capped, liquidation, created_at)
    VALUES (order_id_, 1, p_portfolio, gen, p_symbol, side_, qty_, price_, gross_, 0, 0, 'quote',
            at_, 'market', false, false, at_)
    RETURNING id INTO fill_id_;
    INSERT INTO cash_entries (portfolio_id, generation, kind, amount, fill_id, memo, created_at)
    VALUES (p_portfolio, gen, 'trade', CASE WHEN p_buy THEN -gross_ ELSE gross_ END, fill_id_,
            'bench', at_);
    UPDATE portfolios SET cash = cash + CASE WHEN p_buy THEN -gross_ ELSE gross_ END,
                          updated_at = at_ WHERE id = p_portfolio;
    UPDATE positions SET qty = qty + CASE WHEN p_buy THEN qty_ ELSE -qty_ END, updated_at = at_
        WHERE portfolio_id = p_portfolio AND generation = gen AND symbol = p_symbol;
    IF NOT FOUND THEN
        INSERT INTO positions (portfolio_id, generation, symbol, qty, cost_basis, realized_pl,
                               created_at, updated_at)
        VALUES (p_portfolio, gen, p_symbol, CASE WHEN p_buy THEN qty_ ELSE -qty_ END, 0, 0,
                at_, at_);
    END IF;
    IF p_buy THEN
        INSERT INTO tax_lots (portfolio_id, generation, symbol, fill_id, qty, price, opened_at)
        VALUES (p_portfolio, gen, p_symbol, fill_id_, qty_, price_, at_);
    ELSE
        DELETE FROM tax_lots WHERE id = (SELECT id FROM tax_lots WHERE portfolio_id = p_portfolio
            AND generation = gen AND symbol = p_symbol ORDER BY id LIMIT 1);
    END IF;
    RETURN order_id_;
END
$$ LANGUAGE plpgsql;
