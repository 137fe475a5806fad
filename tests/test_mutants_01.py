"""Mutants of assignment 01: the reference with one classic mistake each (tests/test_mutants.py)."""

WINDOWS = '''
def make_windows(features, targets, length):
    features = np.asarray(features, dtype=np.float32)
    targets = np.asarray(targets, dtype=np.float32)
    if features.ndim == 1:
        features = features[:, None]
    n = len(features)
    if not 1 <= length < n or len(targets) != n:
        raise ValueError("length")
    X = np.stack([features[i:i + length] for i in range(n - length)])
    return X, {y}
'''

STANDARDIZE = '''
def standardize(train, val, test, columns):
    columns = list(columns)
    {fit}
    stats = pd.DataFrame({{c: [fit_on[c].mean(), fit_on[c].std(ddof={ddof})] for c in columns}},
                         index=["mean", "std"])
    out = []
    for part in (train, val, test):
        {copy}
        for c in columns:
            part[c] = (part[c] - stats.loc["mean", c]) / stats.loc["std", c]
        out.append(part)
    return (*out, stats)
'''

LOAD_PRICES = '''
def load_prices(path):
    df = pd.read_csv(path)
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"{path} is missing required columns: {', '.join(missing)}")
    df["Date"] = pd.to_datetime(df["Date"], errors="coerce")
    for column in [c for c in REQUIRED_COLUMNS if c != "Date"]:
        df[column] = pd.to_numeric(df[column], errors="coerce").astype("float64")
    FIRST
    SECOND
    return df.set_index("Date").sort_index()
'''
DROP_INCOMPLETE = 'df = df.dropna(subset=list(REQUIRED_COLUMNS))'
DROP_REPEATED = 'df = df.drop_duplicates(subset="Date", keep="last")'

# name: (function, source, {check id: words its message must contain})
MUTANTS = {
    "repeated_dates_dropped_before_incomplete_rows": ("load_prices", LOAD_PRICES.replace(
        "FIRST", DROP_REPEATED).replace("SECOND", DROP_INCOMPLETE),
        {"load_prices.incomplete_rows_first": "2019-01-03 was lost"}),
    "windows_target_one_row_early": ("make_windows", WINDOWS.format(
        y="targets[length - 1:n - 1]"), {"make_windows.alignment": "got row 3"}),
    "windows_target_one_row_late": ("make_windows", WINDOWS.format(
        y="np.append(targets[length + 1:], np.float32(0))"), {"make_windows.alignment": "got row 5"}),
    "windows_wrong_count": ("make_windows", '''
def make_windows(features, targets, length):
    features = np.asarray(features, dtype=np.float32)
    X = np.stack([features[i:i + length] for i in range(len(features) - length + 1)])
    return X, np.asarray(targets, dtype=np.float32)[length - 1:]
''', {"make_windows.shape": "should be (6, 4, 2)"}),
    "target_compares_next_day": ("add_target", '''
def add_target(df):
    out = df.copy()
    out["Target"] = (out["Close"].shift(-1) > out["Close"]).astype("float64")
    out.loc[out.index[0], "Target"] = np.nan
    return out
''', {"add_target.seed_table": "one row early"}),
    "target_shifted_late": ("add_target", '''
def add_target(df):
    out = df.copy()
    close = out["Close"].shift(1)
    out["Target"] = (close > close.shift(1)).astype("float64")
    out.loc[out.index[0], "Target"] = np.nan
    return out
''', {"add_target.seed_table": "one row late"}),
    "target_modifies_input": ("add_target", '''
def add_target(df):
    df["Target"] = (df["Close"] > df["Close"].shift(1)).astype("float64")
    df.loc[df.index[0], "Target"] = np.nan
    return df
''', {"add_target.float_and_copy": "modified its input"}),
    "dataset_targets_equal_data": ("make_dataset", '''
def make_dataset(features, targets, length, batch_size=32):
    features = np.asarray(features, dtype=np.float32)
    return keras.utils.timeseries_dataset_from_array(
        features, features, sequence_length=length, batch_size=batch_size, shuffle=False)
''', {"make_dataset.no_leak": "leak"}),
    "dataset_course_md_recipe_loses_windows": ("make_dataset", '''
def make_dataset(features, targets, length, batch_size=32):
    features = np.asarray(features, dtype=np.float32)
    targets = np.asarray(targets, dtype=np.float32)
    return keras.utils.timeseries_dataset_from_array(
        features[:-length], targets[length:], sequence_length=length,
        batch_size=batch_size, shuffle=False)
''', {"make_dataset.same_windows": "n - length = 9 windows"}),
    "split_shuffles": ("split_chronologically", '''
def split_chronologically(df, train_frac=0.7, val_frac=0.15):
    df = df.sample(frac=1.0, random_state=0)
    n = len(df)
    a, b = int(n * train_frac), int(n * val_frac)
    return df.iloc[:a], df.iloc[a:a + b], df.iloc[a + b:]
''', {"split_chronologically.order": "shuffled"}),
    "split_rounds": ("split_chronologically", '''
def split_chronologically(df, train_frac=0.7, val_frac=0.15):
    n = len(df)
    a, b = round(n * train_frac), round(n * val_frac)
    return df.iloc[:a], df.iloc[a:a + b], df.iloc[a + b:]
''', {"split_chronologically.sizes": "int(2.85)=2"}),
    "scaler_fit_on_all_parts": ("standardize", STANDARDIZE.format(
        fit="fit_on = pd.concat([train, val, test])", ddof=0, copy="part = part.copy()"),
        {"standardize.train_statistics": "train, val and test together"}),
    "scaler_sample_std": ("standardize", STANDARDIZE.format(
        fit="fit_on = train", ddof=1, copy="part = part.copy()"),
        {"standardize.train_statistics": "ddof=1"}),
    "scaler_modifies_inputs": ("standardize", STANDARDIZE.format(
        fit="fit_on = train.copy()", ddof=0, copy="pass"),
        {"standardize.inputs_unchanged": "in place"}),
    "windows_cross_the_split": ("prepare_data", '''
def prepare_data(df, length, feature_columns=("Volume", "Open", "Close"),
                 train_frac=0.7, val_frac=0.15):
    columns = list(feature_columns)
    full = add_target(df)
    train, val, test = split_chronologically(full, train_frac, val_frac)
    train, val, test, stats = standardize(train, val, test, columns)
    scaled = pd.concat([train, val, test])
    X, y = make_windows(scaled[columns], scaled["Target"], length)
    a, b = len(train) - length, len(val)
    return {"X_train": X[:a], "y_train": y[:a], "X_val": X[a:a + b], "y_val": y[a:a + b],
            "X_test": X[a + b:], "y_test": y[a + b:], "stats": stats}
''', {"prepare_data.keys_and_shapes": "Window each part separately"}),
}


