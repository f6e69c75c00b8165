"""The look of the app: the frame (header, navigation, footer), the filter panel and its
controls, sections and data tables, figure builders, number formats, labels and downloads.
Never imports the pages."""
