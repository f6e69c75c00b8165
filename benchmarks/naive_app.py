"""The naive baseline: a small Dash app written the way typical Dash apps are.

The store's spend rows are read once into a global DataFrame with object (string) columns.
Each request, the page callback filters it with boolean masks, computes the aggregates our
pages show with plain group-bys, builds Plotly Express figures and returns them in a layout.
It uses the same URL parameters and component ids as the real app, so the benchmark drives
both with the same requests.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

import pandas as pd
import plotly.express as px
from dash import Dash, Input, Output, dcc, html

from loaders.catalogue.store import read_table

DEPARTMENTS = Path(__file__).resolve().parent.parent / "data" / "reference" / "departments.csv"
GROUPS = {
    "central": "Central government",
    "non-whitehall": "Non-Whitehall",
    "unclassified": "Unclassified",
}
COLUMNS = {
    "framework": "framework",
    "iteration": "framework_iteration",
    "lot": "lot",
    "sector": "sector",
    "sme": "sme_status",
    "customer": "customer",
    "supplier": "supplier",
}

DF = pd.DataFrame()  # the global frame, as typical apps keep it
SLUGS: dict[str, str] = {}


def load_rows(store: Path) -> pd.DataFrame:
    """Every spend row with text columns as Python strings (object dtype)."""
    frame = read_table(Path(store), "spend")  # every part of it (an appended store has several)
    for column in frame.columns:
        if not (
            pd.api.types.is_numeric_dtype(frame[column])
            or pd.api.types.is_datetime64_any_dtype(frame[column])
        ):
            # via categories, so equal strings share one object as pyarrow's to_pandas does
            frame[column] = frame[column].astype("category").astype(object)
    departments = pd.read_csv(DEPARTMENTS, dtype=str)
    body_department = dict(zip(departments["body"], departments["department"], strict=True))
    frame["department"] = frame["customer"].map(body_department)
    SLUGS.update(zip(departments["department_slug"], departments["department"], strict=True))
    return frame


def params_of(search: str | None) -> dict[str, list[str]]:
    """Query string -> parameter -> values (comma-separated values split)."""
    raw = parse_qs((search or "").lstrip("?"))
    out = {k: [p.strip() for v in vs for p in v.split(",") if p.strip()] for k, vs in raw.items()}
    if "name" in raw:
        out["name"] = [raw["name"][0]]
    return out


def filter_rows(df: pd.DataFrame, params: dict[str, list[str]], time: bool = True):
    """Boolean-mask filtering, as typical apps do it."""
    mask = pd.Series(True, index=df.index)
    if time and params.get("fy"):
        mask &= df["financial_year"].isin(params["fy"])
    elif time:
        if params.get("from"):
            mask &= df["month"] >= pd.Timestamp(params["from"][0] + "-01")
        if params.get("to"):
            mask &= df["month"] <= pd.Timestamp(params["to"][0] + "-01")
    for name, column in COLUMNS.items():
        if params.get(name):
            mask &= df[column].isin(params[name])
    if params.get("buyer_group"):
        mask &= df["buyer_group"].isin([GROUPS.get(g, g) for g in params["buyer_group"]])
    return df[mask]


def with_period(rows: pd.DataFrame, params: dict[str, list[str]]) -> pd.DataFrame:
    """Add a ``period`` column: months within one financial year, else financial years."""
    by_month = params.get("period") == ["month"] or (
        len(params.get("fy", [])) == 1 and params.get("period") != ["fy"]
    )
    if by_month:
        return rows.assign(period=rows["month"].dt.strftime("%Y-%m"))
    return rows.assign(period=rows["financial_year"])


def table(frame: pd.DataFrame) -> html.Table:
    """A plain HTML table of a small frame."""
    head = html.Tr([html.Th(c) for c in frame.columns])
    body = [html.Tr([html.Td(str(v)) for v in row]) for row in frame.itertuples(index=False)]
    return html.Table([html.Thead(head), html.Tbody(body)])


def kpis(values: dict[str, object]) -> html.Div:
    """Headline figures."""
    return html.Div([html.Div([html.Span(k), html.Strong(f"{v}")]) for k, v in values.items()])


def share(part: float, whole: float) -> str:
    """A percentage, or n/a."""
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def top_suppliers(rows: pd.DataFrame, n: int = 20) -> pd.DataFrame:
    """Suppliers with most spend, their SME status and number of buyers."""
    grouped = rows.groupby("supplier").agg(
        spend=("spend_gbp", "sum"), sme=("sme_status", "first"), buyers=("customer", "nunique")
    )
    return grouped.sort_values("spend", ascending=False).head(n).reset_index()


def overview(df: pd.DataFrame, params: dict[str, list[str]]) -> list:
    """Totals, shares, spend by period and buyer group, SME share, sectors, lots, suppliers."""
    rows = with_period(filter_rows(df, params), params)
    total = rows["spend_gbp"].sum()
    sme = rows[rows["sme_status"] == "SME"]
    by_group = rows.groupby(["period", "buyer_group"])["spend_gbp"].sum().reset_index()
    sme_share = (
        rows.assign(sme_spend=rows["spend_gbp"].where(rows["sme_status"] == "SME", 0.0))
        .groupby("period")[["sme_spend", "spend_gbp"]]
        .sum()
    )
    sme_share["sme_share"] = 100 * sme_share["sme_spend"] / sme_share["spend_gbp"]
    sectors = rows.groupby("sector")["spend_gbp"].sum().sort_values().reset_index()
    lots = rows.groupby(["framework", "lot"])["spend_gbp"].sum().reset_index()
    return [
        html.H1("Spend through the digital frameworks"),
        kpis(
            {
                "Total spend": f"£{total:,.0f}",
                "Transactions": len(rows),
                "Central government": share(
                    rows.loc[rows["buyer_group"] == "Central government", "spend_gbp"].sum(), total
                ),
                "Non-Whitehall": share(
                    rows.loc[rows["buyer_group"] == "Non-Whitehall", "spend_gbp"].sum(), total
                ),
                "SME share by value": share(sme["spend_gbp"].sum(), total),
                "SME share by volume": share(len(sme), len(rows)),
                "Buyers": rows["customer"].nunique(),
                "Suppliers": rows["supplier"].nunique(),
            }
        ),
        dcc.Graph(figure=px.bar(by_group, x="period", y="spend_gbp", color="buyer_group")),
        dcc.Graph(figure=px.line(sme_share.reset_index(), x="period", y="sme_share")),
        dcc.Graph(figure=px.bar(sectors, x="spend_gbp", y="sector", orientation="h")),
        dcc.Graph(figure=px.bar(lots, x="lot", y="spend_gbp", color="framework")),
        table(top_suppliers(rows)),
    ]


def adoption(df: pd.DataFrame, params: dict[str, list[str]]) -> list:
    """Distinct buyers per period, new buyers per period, buyers by sector."""
    rows = with_period(filter_rows(df, params), params)
    buyers = rows.groupby(["period", "buyer_group"])["customer"].nunique().reset_index()
    every = with_period(filter_rows(df, params, time=False), params)
    first = every.sort_values("month").drop_duplicates("customer")
    new = first[first["period"].isin(rows["period"].unique())]
    new = new.groupby("period")["customer"].count().reset_index()
    sectors = rows.groupby("sector")["customer"].nunique().sort_values().reset_index()
    return [
        html.H1("Adoption"),
        kpis({"Buyers": rows["customer"].nunique(), "New buyers": int(new["customer"].sum())}),
        dcc.Graph(figure=px.bar(buyers, x="period", y="customer", color="buyer_group")),
        dcc.Graph(figure=px.bar(new, x="period", y="customer")),
        dcc.Graph(figure=px.bar(sectors, x="customer", y="sector", orientation="h")),
    ]


def department(df: pd.DataFrame, params: dict[str, list[str]]) -> list:
    """One department's rows (body name -> department), spend by year, top suppliers."""
    name = (params.get("name") or [""])[0]
    name = SLUGS.get(name.lower(), name)
    rows = filter_rows(df, params)
    rows = rows[rows["department"] == name]
    by_year = rows.groupby("financial_year")["spend_gbp"].sum().reset_index()
    total = rows["spend_gbp"].sum()
    return [
        html.H1(name or "Department"),
        kpis(
            {
                "Total spend": f"£{total:,.0f}",
                "SME share": share(rows.loc[rows["sme_status"] == "SME", "spend_gbp"].sum(), total),
                "Bodies": rows["customer"].nunique(),
            }
        ),
        dcc.Graph(figure=px.bar(by_year, x="financial_year", y="spend_gbp")),
        table(top_suppliers(rows, 10)),
    ]


def concentration(rows: pd.DataFrame) -> pd.DataFrame:
    """Top-10 share and HHI of supplier spend per period."""
    totals = rows.groupby(["period", "supplier"])["spend_gbp"].sum().clip(lower=0).reset_index()
    out = []
    for period, group in totals.groupby("period"):
        whole = group["spend_gbp"].sum()
        shares = 100 * group["spend_gbp"] / whole if whole else group["spend_gbp"] * 0
        out.append({"period": period, "top10": shares.nlargest(10).sum(), "hhi": (shares**2).sum()})
    return pd.DataFrame(out, columns=["period", "top10", "hhi"])


def suppliers(df: pd.DataFrame, params: dict[str, list[str]]) -> list:
    """Top suppliers, top-10 share and HHI per period, suppliers active and new per year."""
    rows = with_period(filter_rows(df, params), params)
    every = filter_rows(df, params, time=False)
    active = every.groupby("financial_year")["supplier"].nunique().rename("active")
    first = every.groupby("supplier")["financial_year"].min().value_counts().rename("new")
    years = pd.concat([active, first], axis=1).fillna(0).rename_axis("year").reset_index()
    shares = concentration(rows)
    return [
        html.H1("Suppliers"),
        table(top_suppliers(rows)),
        dcc.Graph(figure=px.line(shares, x="period", y="top10")),
        dcc.Graph(figure=px.line(shares, x="period", y="hhi")),
        dcc.Graph(figure=px.bar(years, x="year", y=["active", "new"], barmode="group")),
    ]


PAGES = {"/": overview, "/adoption": adoption, "/department": department, "/suppliers": suppliers}


def create_app(store: str | Path) -> Dash:
    """The naive app over ``store``."""
    global DF
    DF = load_rows(Path(store))
    app = Dash(__name__, suppress_callback_exceptions=True)
    app.layout = html.Div(
        [
            dcc.Location(id="url"),
            html.Div(id="page-columns", children=html.Div(id="page-content")),
        ]
    )

    @app.callback(
        Output("page-content", "children"),
        Output("page-columns", "className"),
        Input("url", "pathname"),
        Input("url", "search"),
    )
    def render(pathname, search):
        page = PAGES.get(pathname or "/")
        if page is None:
            return html.H1("Page not found"), "columns"
        return page(DF, params_of(search)), "columns"

    return app
