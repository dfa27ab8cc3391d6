package io.rampart.controlplane.compliance;

import java.awt.geom.Point2D;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.PDFGraphicsStreamEngine;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * A generated PDF as PDFBox (an independent library, not the one that wrote it) reads it: each page's text in
 * reading order, and the rectangles its content streams fill or stroke, with their colours. Shapes are in PDF
 * user space (points, origin at the bottom left of the page).
 */
final class PdfDrawing {

    /** A rectangle on a page (1-based), filled (with a black-or-other outline when stroked too) or only stroked. */
    record Box(int page, boolean filled, boolean stroked, int fillRgb, int strokeRgb, double x, double y, double width, double height) {
    }

    final List<String> pages = new ArrayList<>();
    final List<Box> boxes = new ArrayList<>();
    int images;

    static PdfDrawing of(byte[] pdf) {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PdfDrawing drawing = new PdfDrawing();
            PDFTextStripper text = new PDFTextStripper();
            text.setSortByPosition(true);
            for (int page = 1; page <= document.getNumberOfPages(); page++) {
                text.setStartPage(page);
                text.setEndPage(page);
                drawing.pages.add(text.getText(document));
                new Shapes(document.getPage(page - 1), page, drawing).processPage(document.getPage(page - 1));
            }
            return drawing;
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    /** Every page's text, whitespace (line breaks included) made single spaces. */
    String text() {
        return String.join(" ", pages).replaceAll("\\s+", " ");
    }

    /** The day-by-day chart's bars: filled and outlined, in any colour but the legend's samples. */
    List<Box> chartBars() {
        int sample = MonthlyReportPdfChart.SAMPLE_COLOUR.getRGB() & 0xFFFFFF;
        return boxes.stream().filter(box -> box.filled() && box.stroked() && box.fillRgb() != sample).toList();
    }

    List<Box> filled(int rgb) {
        return boxes.stream().filter(box -> box.filled() && box.fillRgb() == rgb).toList();
    }

    private static final class Shapes extends PDFGraphicsStreamEngine {
        private final int page;
        private final PdfDrawing drawing;
        private final List<Point2D[]> path = new ArrayList<>();
        private Point2D current = new Point2D.Float();

        Shapes(PDPage pdPage, int page, PdfDrawing drawing) {
            super(pdPage);
            this.page = page;
            this.drawing = drawing;
        }

        @Override
        public void appendRectangle(Point2D p0, Point2D p1, Point2D p2, Point2D p3) {
            path.add(new Point2D[] { p0, p2 });
        }

        private void paint(boolean fill, boolean stroke) throws IOException {
            int fillRgb = getGraphicsState().getNonStrokingColor().toRGB();
            int strokeRgb = getGraphicsState().getStrokingColor().toRGB();
            for (Point2D[] corners : path) {
                double x = Math.min(corners[0].getX(), corners[1].getX());
                double y = Math.min(corners[0].getY(), corners[1].getY());
                drawing.boxes.add(new Box(page, fill, stroke, fillRgb, strokeRgb, x, y, Math.abs(corners[1].getX() - corners[0].getX()),
                        Math.abs(corners[1].getY() - corners[0].getY())));
            }
            path.clear();
        }

        @Override
        public void strokePath() throws IOException {
            paint(false, true);
        }

        @Override
        public void fillPath(int windingRule) throws IOException {
            paint(true, false);
        }

        @Override
        public void fillAndStrokePath(int windingRule) throws IOException {
            paint(true, true);
        }

        @Override
        public void endPath() {
            path.clear();
        }

        @Override
        public void drawImage(PDImage pdImage) {
            drawing.images++;
        }

        @Override
        public void clip(int windingRule) {
        }

        @Override
        public void moveTo(float x, float y) {
            current = new Point2D.Float(x, y);
        }

        @Override
        public void lineTo(float x, float y) {
            current = new Point2D.Float(x, y);
        }

        @Override
        public void curveTo(float x1, float y1, float x2, float y2, float x3, float y3) {
            current = new Point2D.Float(x3, y3);
        }

        @Override
        public Point2D getCurrentPoint() {
            return current;
        }

        @Override
        public void closePath() {
        }

        @Override
        public void shadingFill(COSName shadingName) {
        }
    }
}
